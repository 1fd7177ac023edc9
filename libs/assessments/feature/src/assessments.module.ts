import { Module } from '@nestjs/common';
import { AssessmentAccessGuard } from './assessment-access.guard';
import { AssessmentsController } from './assessments.controller';
import { RecalculationsController } from './recalculations.controller';

/** Assessments and recalculations over HTTP; services from the manifest. */
@Module({
  controllers: [AssessmentsController, RecalculationsController],
  providers: [AssessmentAccessGuard],
})
export class AssessmentsModule {}
