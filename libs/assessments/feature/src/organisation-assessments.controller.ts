import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@maatlat/access';
import { assertIds } from '@maatlat/shared/domain';
import { Assessments } from './assessments.service';
import { OrganisationAssessmentView } from './assessment.views';

/** An organisation's assessments. The access guard holds `:organisationId` to the caller's organisations. */
@ApiTags('assessments')
@ApiBearerAuth()
@Roles('platform-admin', 'coordinator', 'auditor')
@Controller('organisations/:organisationId/assessments')
export class OrganisationAssessmentsController {
  constructor(private readonly assessments: Assessments) {}

  @Get()
  @ApiOperation({ summary: "The organisation's assessments, newest period first, with the latest overall score and stage of each closed one" })
  @ApiOkResponse({ type: [OrganisationAssessmentView] })
  list(@Param('organisationId') organisationId: string) {
    assertIds({ organisationId });
    return this.assessments.ofOrganisation(organisationId);
  }
}
