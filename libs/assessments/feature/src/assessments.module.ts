import { Module } from '@nestjs/common';
import { AssessmentAccessGuard } from './assessment-access.guard';
import { AssessmentsController } from './assessments.controller';
import { DemoRespondentController } from './demo-respondent.controller';
import { OrganisationAssessmentsController } from './organisation-assessments.controller';
import { RecalculationsController } from './recalculations.controller';

/** Assessments (also per organisation) and recalculations over HTTP; services from the manifest. */
@Module({
  controllers: [AssessmentsController, OrganisationAssessmentsController, RecalculationsController, DemoRespondentController],
  providers: [AssessmentAccessGuard],
})
export class AssessmentsModule {}
