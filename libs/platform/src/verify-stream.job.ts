import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Database } from '@maatlat/shared/database';
import { verifyEventStore } from '@maatlat/shared/event-store';
import type { JobContext, JobRegistration, PlatformJobs } from '@maatlat/shared/jobs';
import { DATABASE } from './tokens';

/** Re-verifies one stream's hash chain; a broken chain fails the job, so it is listed and alerted on. */
@Injectable()
export class VerifyStreamJob implements JobRegistration<'event-store.verify-stream'> {
  readonly name = 'event-store.verify-stream' as const;
  private readonly logger = new Logger(VerifyStreamJob.name);

  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async handle(payload: PlatformJobs['event-store.verify-stream'], context: JobContext): Promise<void> {
    const report = await verifyEventStore(this.database.db, { streamId: payload.streamId });
    if (!report.ok) {
      const first = report.breaks[0];
      throw new Error(`hash chain of ${first.streamId} broken at version ${first.version}: ${first.problem}`);
    }
    this.logger.log({ jobId: context.jobId, streamId: payload.streamId, events: report.eventsChecked }, 'stream verified');
  }
}
