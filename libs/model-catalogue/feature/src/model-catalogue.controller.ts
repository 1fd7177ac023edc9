import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiIfMatch, ApiProblems, ApiResult, IfMatch } from '@maatlat/shared/nest';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { CommandMeta, Roles } from '@maatlat/access';
import { ModelDiffView, ModelVersionSummaryView, ModelVersionView, VersionCrosswalkView } from './model-version.views';
import { DiffQueryDto, DraftModelVersionDto, ListQueryDto, PublishModelVersionDto, RetireModelVersionDto, ReviseModelDraftDto, SetCrosswalkDto } from './model-version.dtos';

const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VERSION = /^\d{4}\.\d+$/;

function checkParams(key: string, version?: string): void {
  const problems = [];
  if (!KEY.test(key)) problems.push({ field: 'key', problem: 'must be a model key such as datagedreven-overheid' });
  if (version !== undefined && !VERSION.test(version)) problems.push({ field: 'version', problem: 'must be a version written YYYY.N, e.g. 2026.1' });
  if (problems.length) throw new ValidationFailed(problems);
}

@ApiTags('model catalogue')
@ApiBearerAuth()
@Roles('platform-admin')
@Controller('model-versions')
export class ModelCatalogueController {
  constructor(private readonly catalogue: ModelCatalogue) {}

  @Post()
  @ApiOperation({ summary: 'Draft a new model version: from a document, or copied from a published version' })
  @ApiResult(201, 'The draft; its revision is the ETag.', ModelVersionView)
  @ApiProblems({ 404: 'The version to copy does not exist.', 409: 'That version of the model exists already.' })
  draft(@Body() dto: DraftModelVersionDto, @CommandMeta() meta: CommandMetadata) {
    if (dto.document && dto.copyFrom) throw new ValidationFailed([{ field: 'copyFrom', problem: 'give either document or copyFrom, not both' }]);
    const input = dto.copyFrom ? { copyFrom: dto.copyFrom, version: dto.version! } : { document: dto.document! };
    return this.catalogue.draft(input, meta);
  }

  @Roles('platform-admin', 'coordinator', 'auditor', 'respondent', 'benchmark-reader')
  @Get()
  @ApiOperation({ summary: 'List model versions, newest first' })
  @ApiResult(200, 'The versions, by model, newest first.', [ModelVersionSummaryView])
  async list(@Query() query: ListQueryDto) {
    const versions = await this.catalogue.list(query.key);
    return query.status ? versions.filter((v) => v.status === query.status) : versions;
  }

  @Roles('platform-admin', 'coordinator', 'auditor', 'respondent', 'benchmark-reader')
  @Get(':key/diff')
  @ApiOperation({ summary: 'The semantic difference between two versions of a model' })
  @ApiResult(200, 'Factors, questions and risk rules added, removed and changed.', ModelDiffView)
  diff(@Param('key') key: string, @Query() query: DiffQueryDto) {
    checkParams(key);
    return this.catalogue.diff(key, query.from, query.to);
  }

  @Roles('platform-admin', 'coordinator', 'auditor', 'respondent', 'benchmark-reader')
  @Get(':key/:version')
  @ApiParam({ name: 'version', example: '2026.1' })
  @ApiOperation({ summary: 'One model version with its document and crosswalk; its revision is the ETag' })
  @ApiResult(200, 'The version.', ModelVersionView)
  get(@Param('key') key: string, @Param('version') version: string) {
    checkParams(key, version);
    return this.catalogue.get(key, version);
  }

  @Put(':key/:version')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Revise a draft (a published version never changes: 409)' })
  @ApiResult(200, 'The revised draft.', ModelVersionView)
  revise(@Param('key') key: string, @Param('version') version: string, @Body() dto: ReviseModelDraftDto, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    checkParams(key, version);
    return this.catalogue.revise(key, version, dto.document, meta, revision);
  }

  @Roles('platform-admin', 'coordinator', 'auditor', 'respondent', 'benchmark-reader')
  @Get(':key/:version/crosswalk')
  @ApiOperation({ summary: 'The crosswalk from the predecessor to this version' })
  @ApiResult(200, 'The crosswalk, or null when the version has none.', VersionCrosswalkView)
  async getCrosswalk(@Param('key') key: string, @Param('version') version: string) {
    checkParams(key, version);
    const view = await this.catalogue.get(key, version);
    return { from: view.crosswalk?.from ?? null, to: `${key}@${version}`, crosswalk: view.crosswalk };
  }

  @Put(':key/:version/crosswalk')
  @ApiIfMatch()
  @ApiOperation({ summary: "Set a draft's crosswalk from its predecessor" })
  @ApiResult(200, 'The draft with its crosswalk.', ModelVersionView)
  setCrosswalk(@Param('key') key: string, @Param('version') version: string, @Body() dto: SetCrosswalkDto, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    checkParams(key, version);
    return this.catalogue.setCrosswalk(key, version, dto.crosswalk, meta, revision);
  }

  @Post(':key/:version/publish')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOperation({ summary: 'Publish a draft: validated, content-hashed, immutable from then on' })
  @ApiResult(200, 'The published version.', ModelVersionView)
  publish(@Param('key') key: string, @Param('version') version: string, @Body() dto: PublishModelVersionDto, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    checkParams(key, version);
    return this.catalogue.publish(key, version, { legalBasis: dto.legalBasis, effectiveFrom: dto.effectiveFrom }, meta, revision);
  }

  @Post(':key/:version/retire')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOperation({ summary: 'Retire a published version' })
  @ApiResult(200, 'The retired version.', ModelVersionView)
  @ApiProblems({ 422: 'The version is a draft, or retired already.' })
  retire(@Param('key') key: string, @Param('version') version: string, @Body() dto: RetireModelVersionDto, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    checkParams(key, version);
    return this.catalogue.retire(key, version, meta, revision);
  }
}
