import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';

/** Reports over HTTP; services from the manifest. */
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
