import { Module } from '@nestjs/common';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { DATABASE } from '@maatlat/platform';
import { ModelCatalogueModule } from '@maatlat/model-catalogue/feature';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { OrganisationsModule } from '@maatlat/organisations/feature';
import { Chains, Organisations } from '@maatlat/organisations/data-access';
import { RespondentsModule } from '@maatlat/respondents/feature';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { Assessments, Recalculations } from '@maatlat/assessments/data-access';
import { AssessmentAccessGuard } from './assessment-access.guard';
import { AssessmentsController } from './assessments.controller';
import { RecalculationsController } from './recalculations.controller';
import { RECALCULATIONS_DB } from './tokens';

@Module({
  imports: [ModelCatalogueModule, OrganisationsModule, RespondentsModule],
  controllers: [AssessmentsController, RecalculationsController],
  providers: [
    AssessmentAccessGuard,
    { provide: RECALCULATIONS_DB, inject: [DATABASE], useFactory: (database: Database) => database.db },
    {
      provide: Recalculations,
      inject: [DATABASE, PostgresEventStore, ModelCatalogue],
      useFactory: (database: Database, store: PostgresEventStore, catalogue: ModelCatalogue) => new Recalculations(database.db, store, catalogue),
    },
    {
      provide: Assessments,
      inject: [DATABASE, PostgresEventStore, ModelCatalogue, Organisations, Chains, Respondents],
      useFactory: (database: Database, store: PostgresEventStore, catalogue: ModelCatalogue, organisations: Organisations, chains: Chains, respondents: Respondents) =>
        new Assessments(database.db, store, catalogue, organisations, chains, respondents, new PersonalDataVault(database.db)),
    },
  ],
})
export class AssessmentsModule {}
