import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '@maatlat/shared/config';
import { CoreModule, HealthModule, loggerModule } from '@maatlat/shared/nest';
import { AccessModule } from '@maatlat/access';
import { API_FEATURES } from './features';

/** The HTTP API's composition root: the features' modules over one core of connections and services. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggerModule(config, options.logDestination),
        CoreModule.forRoot(config, { applicationName: 'maatlat-api', features: API_FEATURES }),
        AccessModule,
        HealthModule,
        ...API_FEATURES.flatMap((feature) => (feature.nestModule ? [feature.nestModule] : [])),
      ],
    };
  }
}
