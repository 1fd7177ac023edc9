import { Module } from '@nestjs/common';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { Chains, Organisations } from '@maatlat/organisations/data-access';
import { DATABASE } from '@maatlat/platform';
import { ChainsController } from './chains.controller';
import { OrganisationsController } from './organisations.controller';

@Module({
  controllers: [OrganisationsController, ChainsController],
  providers: [
    {
      provide: Organisations,
      inject: [DATABASE, PostgresEventStore],
      useFactory: (database: Database, store: PostgresEventStore) => new Organisations(database.db, store),
    },
    {
      provide: Chains,
      inject: [DATABASE, PostgresEventStore, Organisations],
      useFactory: (database: Database, store: PostgresEventStore, organisations: Organisations) => new Chains(database.db, store, organisations),
    },
  ],
  exports: [Organisations, Chains],
})
export class OrganisationsModule {}
