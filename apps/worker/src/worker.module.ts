import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@maatlat/shared/config';
import { loggerModule } from '@maatlat/shared/nest';
import { PlatformModule, RecalculateAssessmentJob, VerifyStreamJob, WorkerRuntime } from '@maatlat/platform';

/** The worker's composition root: projection runners, the outbox relay and the job processors. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [loggerModule(config), PlatformModule.forRoot(config, { applicationName: 'maatlat-worker' })],
      providers: [VerifyStreamJob, RecalculateAssessmentJob, WorkerRuntime],
    };
  }
}
