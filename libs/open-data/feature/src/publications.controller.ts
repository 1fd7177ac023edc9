import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertIds, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiIfMatch, ApiProblems, ApiResult, IfMatch } from '@maatlat/shared/nest';
import { CommandMeta, CurrentPrincipal, Roles, type Principal } from '@maatlat/access';
import { Publications } from './publications.service';
import { PublicationRecordView, PublicationView } from './open-data.views';

/** A coordinator's Woo publication of an assessment's results, and its withdrawal. */
@ApiTags('open data')
@ApiBearerAuth()
@Controller('assessments/:assessmentId/publication')
export class PublicationsController {
  constructor(private readonly publications: Publications) {}

  @Get()
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: "Whether the assessment's results are published, with every publication and withdrawal: who, and when; its revision is the ETag" })
  @ApiResult(200, 'The publication and its changes.', PublicationRecordView)
  @ApiProblems({ 403: "The assessment is not one of the caller's organisations." })
  get(@Param('assessmentId') assessmentId: string, @CurrentPrincipal() principal: Principal) {
    assertIds({ assessmentId });
    return this.publications.publication(principal, assessmentId);
  }

  @Post()
  @HttpCode(201)
  @Roles('coordinator')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key publishes nothing twice' })
  @ApiOperation({ summary: "Publish a closed, scored assessment's results as open data (Woo): an event, and a new version of the public dataset" })
  @ApiIfMatch()
  @ApiResult(201, 'The publication and the dataset version that carries it.', PublicationView)
  @ApiProblems({ 403: "The assessment is not one of the caller's organisations.", 409: 'The results are published already.', 422: 'The assessment has no score yet.' })
  publish(@Param('assessmentId') assessmentId: string, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() version?: number) {
    assertIds({ assessmentId });
    return this.publications.publish(principal, assessmentId, meta, version);
  }

  @Delete()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Withdraw the published results: the next dataset version leaves them out (earlier versions stay as they were)' })
  @ApiIfMatch()
  @ApiResult(200, 'The withdrawal and the dataset version without the results.', PublicationView)
  @ApiProblems({ 403: "The assessment is not one of the caller's organisations.", 409: 'The results are not published.' })
  withdraw(@Param('assessmentId') assessmentId: string, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() version?: number) {
    assertIds({ assessmentId });
    return this.publications.withdraw(principal, assessmentId, meta, version);
  }
}
