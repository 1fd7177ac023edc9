import { Module } from '@nestjs/common';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { DATABASE } from '@maatlat/platform';
import { Respondents } from '@maatlat/respondents/data-access';
import { RespondentsController } from './respondents.controller';

@Module({
  controllers: [RespondentsController],
  providers: [
    {
      provide: Respondents,
      inject: [DATABASE, PostgresEventStore],
      useFactory: (database: Database, store: PostgresEventStore) => new Respondents(database.db, store),
    },
  ],
  exports: [Respondents],
})
export class RespondentsModule {}
