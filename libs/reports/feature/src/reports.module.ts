import { Module } from '@nestjs/common';

/** Reports over HTTP; services from the manifest. */
@Module({})
export class ReportsModule {}
