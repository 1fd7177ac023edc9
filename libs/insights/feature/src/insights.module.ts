import { Module } from '@nestjs/common';
import { BenchmarksController } from './benchmarks.controller';
import { TrendsController } from './trends.controller';

/** Trends and benchmarks over HTTP; services from the manifest. */
@Module({ controllers: [TrendsController, BenchmarksController] })
export class InsightsModule {}
