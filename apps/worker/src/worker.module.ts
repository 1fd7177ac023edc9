import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@maatlat/shared/config';
import { CoreModule, loggerModule } from '@maatlat/shared/nest';
import { WORKER_FEATURES } from './features';
import { FEATURES, WorkerRuntime } from './worker-runtime';

/** The worker's composition root: the features' projections, reactions and jobs over one core. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [loggerModule(config), CoreModule.forRoot(config, { applicationName: 'maatlat-worker', features: WORKER_FEATURES })],
      providers: [{ provide: FEATURES, useValue: WORKER_FEATURES }, WorkerRuntime],
    };
  }
}
