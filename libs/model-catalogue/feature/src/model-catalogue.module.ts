import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { DATABASE } from '@maatlat/platform';
import { ModelCatalogueController } from './model-catalogue.controller';
import { MODEL_VERSION_COMMAND_HANDLERS } from './model-version.commands';

@Module({
  imports: [CqrsModule],
  controllers: [ModelCatalogueController],
  providers: [
    {
      provide: ModelCatalogue,
      inject: [DATABASE, PostgresEventStore],
      useFactory: (database: Database, store: PostgresEventStore) => new ModelCatalogue(database.db, store),
    },
    ...MODEL_VERSION_COMMAND_HANDLERS,
  ],
  exports: [ModelCatalogue],
})
export class ModelCatalogueModule {}
