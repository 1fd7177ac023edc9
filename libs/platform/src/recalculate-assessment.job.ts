import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import type { JobContext, JobRegistration, PlatformJobs } from '@maatlat/shared/jobs';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Recalculations } from '@maatlat/assessments/data-access';
import { DATABASE } from './tokens';

/** Rescores one closed assessment; idempotent, so a re-delivered or re-run job appends nothing. */
@Injectable()
export class RecalculateAssessmentJob implements JobRegistration<'assessment.recalculate'> {
  readonly name = 'assessment.recalculate' as const;
  readonly recalculations: Recalculations;

  constructor(@Inject(DATABASE) database: Database, store: PostgresEventStore) {
    this.recalculations = new Recalculations(database.db, store, new ModelCatalogue(database.db, store));
  }

  async handle(payload: PlatformJobs['assessment.recalculate'], context: JobContext): Promise<void> {
    await this.recalculations.recalculateOne(payload.recalculationId, payload.assessmentId, {
      now: new Date(),
      actor: 'system:recalculation',
      correlationId: context.jobId,
    });
  }

  recordFinalFailure(payload: PlatformJobs['assessment.recalculate'], reason: string): Promise<void> {
    return this.recalculations.recordFailure(payload.recalculationId, payload.assessmentId, reason, { now: new Date(), actor: 'system:recalculation', correlationId: randomUUID() });
  }
}
