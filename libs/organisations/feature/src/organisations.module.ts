import { Module } from '@nestjs/common';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { Organisations } from '@maatlat/organisations/data-access';
import { DATABASE } from '@maatlat/platform';
import { OrganisationsController } from './organisations.controller';

@Module({
  controllers: [OrganisationsController],
  providers: [
    {
      provide: Organisations,
      inject: [DATABASE, PostgresEventStore],
      useFactory: (database: Database, store: PostgresEventStore) => new Organisations(database.db, store),
    },
  ],
  exports: [Organisations],
})
export class OrganisationsModule {}
