import type { PostgresEventStore } from '@maatlat/shared/event-store';
import type { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import type { Chains, Organisations } from '@maatlat/organisations/data-access';
import type { AssessmentRepository } from '@maatlat/assessments/data-access';
import type { ScoreEventReference, ScoreResult } from '@maatlat/assessments/domain';
import type { BenchmarkCell, ChangeLabel, Comparability } from '@maatlat/insights/domain';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { ReportFiles } from '@maatlat/reports/data-access';
import type { PdfPrinter } from './pdf-printer';

/**
 * What reports read from the assessments feature's service (`Assessments`): the shape it returns,
 * stated here because a feature does not import another (the apps hand the service over).
 */
export interface AssessmentsReader {
  get(assessmentId: string): Promise<{
    assessmentId: string;
    organisationId: string;
    status: 'open' | 'closed';
    score: ScoreResult | null;
    scoreEvent: ScoreEventReference | null;
    countedAnswers: { questionId: string; layer: LayerId; respondentId: string }[];
  }>;
  scoreEvents(assessmentId: string): Promise<(ScoreEventReference & { recordedAt: string })[]>;
  organisationOf(assessmentId: string): Promise<string>;
}

/** What reports read from the insights feature's service (`Insights`). */
export interface InsightsReader {
  organisationTrends(
    organisationId: string,
    filter: { unitId?: string; chainId?: string; modelKey?: string },
  ): Promise<{
    series: {
      scope: { kind: string; unitId?: string; chainId?: string };
      modelVersion: string;
      points: {
        assessmentId: string;
        period: string;
        comparability: Comparability;
        overall: { score: number | null };
        factors: { factorId: string; score: number | null }[];
        changeSincePrevious: { overall: { label: ChangeLabel }; factors: { factorId: string; label: ChangeLabel }[] } | null;
      }[];
    }[];
  }>;
  benchmarkPosition(
    organisationId: string,
    query: { modelKey: string; period: string },
  ): Promise<{
    modelVersion: string;
    minGroup: number;
    own: { overall: number | null; factors: Record<string, number | null> };
    groups: { groupBy: 'organisationType' | 'sizeBand' | 'all'; cell: BenchmarkCell; overallPercentileRank: number | null }[];
  }>;
}

export interface ReportsContext {
  store: PostgresEventStore;
  assessments: AssessmentsReader;
  insights: InsightsReader;
  /** For what the assessments service does not say: the period and scope an assessment was opened for. */
  assessmentRecords: AssessmentRepository;
  catalogue: ModelCatalogue;
  organisations: Organisations;
  chains: Chains;
  files: ReportFiles;
  printer: PdfPrinter;
}
