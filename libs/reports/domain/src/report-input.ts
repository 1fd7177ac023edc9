import type { AssessmentScope, ScoreResult } from '@maatlat/assessments/domain';
import type { BenchmarkCell, ChangeLabel, Comparability } from '@maatlat/insights/domain';
import type { LayerId, ModelDocument } from '@maatlat/model-catalogue/domain';
import type { ReportAudience, ReportLanguage, ReportSource } from './report.events';

/** One point of the assessment's trend line, as the insights feature reads it. */
export interface ReportTrendPoint {
  assessmentId: string;
  period: string;
  comparability: Comparability;
  overall: { score: number | null };
  factors: { factorId: string; score: number | null }[];
  change: { overall: ChangeLabel; factors: Record<string, ChangeLabel> } | null;
}

export interface ReportBenchmark {
  modelVersion: string;
  minGroup: number;
  own: { overall: number | null; factors: Record<string, number | null> };
  groups: { groupBy: 'organisationType' | 'sizeBand' | 'all'; cell: BenchmarkCell; overallPercentileRank: number | null }[];
}

/** Everything one report is drawn from: read by the feature, rendered here without I/O. */
export interface ReportInput {
  language: ReportLanguage;
  audience: ReportAudience;
  assessmentId: string;
  organisationName: string;
  scope: AssessmentScope;
  /** The unit's or chain's name; the organisation's for an organisation-wide assessment. */
  scopeName: string;
  period: string;
  closedAt: string | null;
  model: ModelDocument;
  score: ScoreResult;
  source: ReportSource & { type: string; recordedAt: string };
  /** The latest score event of the same assessment when it is a later one (a recalculation): the report says so and links it. */
  supersededBy: { version: number; eventId: string; type: string; recordedAt: string } | null;
  /** Distinct respondents per factor and layer: cells under 3 are withheld from the public variant. */
  cellRespondents: Record<string, Partial<Record<LayerId, number>>>;
  /** Pseudonyms per layer (the internal report only lists them). */
  respondents: { respondentId: string; layer: LayerId }[];
  trend: { modelVersion: string; points: ReportTrendPoint[] } | null;
  benchmark: ReportBenchmark | null;
  generatedAt: Date;
}

/** Fewest respondents behind a per-layer figure in the public variant. */
export const PUBLIC_MIN_RESPONDENTS = 3;
