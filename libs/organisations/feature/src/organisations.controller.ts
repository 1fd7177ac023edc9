import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { AdminGuard, type RequestWithActor } from '@maatlat/platform';
import { AddUnitDto, ChangeOrganisationProfileDto, ListOrganisationsQueryDto, MoveUnitDto, RegisterOrganisationDto, RenameUnitDto } from './organisation.dtos';

const ID = /^[0-9a-z-]{1,64}$/;
function checkIds(ids: Record<string, string>): void {
  const problems = Object.entries(ids)
    .filter(([, value]) => !ID.test(value))
    .map(([field]) => ({ field, problem: 'must be an id of lowercase letters, digits and dashes' }));
  if (problems.length) throw new ValidationFailed(problems);
}

/**
 * Organisations and their unit trees. Until identity and access arrive, only the platform
 * administrator manages them (the same stand-in guard as the model catalogue).
 */
@ApiTags('organisations')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: Organisations) {}

  private metadata(request: RequestWithActor): CommandMetadata {
    return { now: new Date(), actor: request.actor ?? 'platform-admin', correlationId: String(request.id ?? '') };
  }

  @Post()
  @ApiOperation({ summary: 'Register an organisation' })
  register(@Body() dto: RegisterOrganisationDto, @Req() request: RequestWithActor) {
    return this.organisations.register(dto, this.metadata(request));
  }

  @Get()
  @ApiOperation({ summary: 'List organisations, optionally one peer group (type and size band)' })
  list(@Query() query: ListOrganisationsQueryDto) {
    return this.organisations.list(query);
  }

  @Get(':organisationId')
  @ApiOperation({ summary: 'One organisation with its units' })
  get(@Param('organisationId') organisationId: string) {
    checkIds({ organisationId });
    return this.organisations.get(organisationId);
  }

  @Get(':organisationId/tree')
  @ApiOperation({ summary: 'The unit tree, parents before children, with paths and depths' })
  async tree(@Param('organisationId') organisationId: string) {
    checkIds({ organisationId });
    await this.organisations.get(organisationId);
    return this.organisations.tree(organisationId);
  }

  @Patch(':organisationId')
  @ApiOperation({ summary: 'Change name, type or size band' })
  changeProfile(@Param('organisationId') organisationId: string, @Body() dto: ChangeOrganisationProfileDto, @Req() request: RequestWithActor) {
    checkIds({ organisationId });
    const { expectedRevision, ...profile } = dto;
    return this.organisations.changeProfile(organisationId, profile, this.metadata(request), expectedRevision);
  }

  @Post(':organisationId/units')
  @ApiOperation({ summary: 'Add a unit (division, department, team)' })
  addUnit(@Param('organisationId') organisationId: string, @Body() dto: AddUnitDto, @Req() request: RequestWithActor) {
    checkIds({ organisationId });
    return this.organisations.addUnit(organisationId, { parentUnitId: dto.parentUnitId ?? null, name: dto.name, kind: dto.kind }, this.metadata(request));
  }

  @Patch(':organisationId/units/:unitId')
  @ApiOperation({ summary: 'Rename a unit' })
  renameUnit(@Param('organisationId') organisationId: string, @Param('unitId') unitId: string, @Body() dto: RenameUnitDto, @Req() request: RequestWithActor) {
    checkIds({ organisationId, unitId });
    return this.organisations.renameUnit(organisationId, unitId, dto.name, this.metadata(request));
  }

  @Post(':organisationId/units/:unitId/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a unit under another (never under itself or its descendants: 422)' })
  moveUnit(@Param('organisationId') organisationId: string, @Param('unitId') unitId: string, @Body() dto: MoveUnitDto, @Req() request: RequestWithActor) {
    checkIds({ organisationId, unitId });
    return this.organisations.moveUnit(organisationId, unitId, dto.toParentUnitId, this.metadata(request));
  }

  @Post(':organisationId/units/:unitId/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a unit (its open units must be closed or moved first)' })
  closeUnit(@Param('organisationId') organisationId: string, @Param('unitId') unitId: string, @Req() request: RequestWithActor) {
    checkIds({ organisationId, unitId });
    return this.organisations.closeUnit(organisationId, unitId, this.metadata(request));
  }
}
