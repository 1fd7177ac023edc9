import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore } from '@maatlat/shared/event-store';
import { foldEvents } from '@maatlat/shared/event-store';
import { reportDecider, reportStreamId, type ReportEvent, type ReportsState } from '@maatlat/reports/domain';

export interface StoredReportFile {
  reportId: string;
  assessmentId: string;
  organisationId: string;
  sha256: string;
  pdf: Buffer;
}

/** The issued PDFs' bytes, found by report or by the SHA-256 of a file presented for checking. */
export class ReportFiles {
  constructor(private readonly db: Kysely<DB>) {}

  /** Keeps the bytes once: a job run twice stores nothing new. */
  async store(file: StoredReportFile): Promise<void> {
    await this.db
      .insertInto('report_files')
      .values({ report_id: file.reportId, assessment_id: file.assessmentId, organisation_id: file.organisationId, sha256: Buffer.from(file.sha256, 'hex'), pdf: file.pdf })
      .onConflict((oc) => oc.column('report_id').doNothing())
      .execute();
  }

  async get(reportId: string): Promise<StoredReportFile | undefined> {
    const row = await this.db.selectFrom('report_files').selectAll().where('report_id', '=', reportId).executeTakeFirst();
    return row && { reportId: row.report_id, assessmentId: row.assessment_id, organisationId: row.organisation_id, sha256: row.sha256.toString('hex'), pdf: row.pdf };
  }

  async bySha256(sha256: string): Promise<{ reportId: string; assessmentId: string }[]> {
    const rows = await this.db.selectFrom('report_files').select(['report_id', 'assessment_id']).where('sha256', '=', Buffer.from(sha256, 'hex')).execute();
    return rows.map((r) => ({ reportId: r.report_id, assessmentId: r.assessment_id }));
  }
}

/** The reports of an assessment, folded from its report stream. */
export async function readReports(store: PostgresEventStore, assessmentId: string): Promise<{ state: ReportsState; version: number }> {
  const events = await store.readStream<ReportEvent>(reportStreamId(assessmentId));
  return { state: foldEvents(reportDecider, events), version: events.length ? events[events.length - 1].version : 0 };
}
