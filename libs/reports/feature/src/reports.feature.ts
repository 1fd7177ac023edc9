import type { FeatureManifest } from '@maatlat/shared/features';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Chains, Organisations } from '@maatlat/organisations/data-access';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { ReportFiles } from '@maatlat/reports/data-access';
import { PdfPrinter } from './pdf-printer';
import type { AssessmentsReader, InsightsReader } from './reports.context';
import { Reports } from './reports.service';
import { ReportsModule } from './reports.module';

export interface ReportsServices {
  reports: Reports;
}

/** What reports stand on, from the features composed before them: assessments and insights are required. */
interface Provided {
  catalogue?: ModelCatalogue;
  organisations?: Organisations;
  chains?: Chains;
  assessments?: AssessmentsReader;
  insights?: InsightsReader;
}

const SYSTEM = 'system:reports';

/** Reports: an assessment as one printable HTML document, and PDFs of it issued with their SHA-256. */
export const reportsFeature: FeatureManifest<ReportsServices> = {
  name: 'reports',
  uses: ['catalogue', 'organisations', 'chains', 'assessments', 'insights'],
  nestModule: ReportsModule,
  jobs: {
    'report.generate-pdf': {
      handle: async ({ reportId, assessmentId }, context, { reports }) => void (await reports.generate(reportId, assessmentId, { now: new Date(), actor: SYSTEM, correlationId: context.jobId })),
      // Recorded on the report, where its status is read, with the reason (no Chromium, say).
      onFinalFailure: ({ reportId, assessmentId }, reason, { reports }) => reports.recordFailure(reportId, assessmentId, reason, { now: new Date(), actor: SYSTEM, correlationId: reportId }),
    },
  },
  createServices: (db, store, config, provided: Provided = {}) => {
    if (!provided.assessments || !provided.insights) throw new Error('reports need the assessments and insights features composed before them');
    const catalogue = provided.catalogue ?? new ModelCatalogue(db, store);
    const organisations = provided.organisations ?? new Organisations(db, store);
    const chains = provided.chains ?? new Chains(db, store, organisations);
    const printer = new PdfPrinter(config.chromiumPath);
    const missing = printer.unavailableReason();
    // Said once at start; the PDF route answers 503 with the same reason, HTML reports still work.
    if (missing) process.emitWarning(`reports: PDFs cannot be printed: ${missing}`, { code: 'MAATLAT_NO_CHROMIUM' });
    return {
      reports: new Reports({
        store,
        assessments: provided.assessments,
        insights: provided.insights,
        assessmentRecords: new AssessmentRepository(db, store),
        catalogue,
        organisations,
        chains,
        files: new ReportFiles(db),
        printer,
      }),
    };
  },
};
