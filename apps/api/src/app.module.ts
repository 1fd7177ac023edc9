import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '@maatlat/shared/config';
import { loggerModule } from '@maatlat/shared/nest';
import { HealthModule, PlatformModule } from '@maatlat/platform';
import { AccessModule } from '@maatlat/access';
import { ModelCatalogueModule } from '@maatlat/model-catalogue/feature';
import { OrganisationsModule } from '@maatlat/organisations/feature';
import { RespondentsModule } from '@maatlat/respondents/feature';
import { AssessmentsModule } from '@maatlat/assessments/feature';

/** The HTTP API's composition root: it only wires feature modules together. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [loggerModule(config, options.logDestination), PlatformModule.forRoot(config, { applicationName: 'maatlat-api' }), CqrsModule.forRoot(), AccessModule, HealthModule, ModelCatalogueModule, OrganisationsModule, RespondentsModule, AssessmentsModule],
    };
  }
}
