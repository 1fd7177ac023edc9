import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertIds, type CommandMetadata } from '@maatlat/shared/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { assertActsFor, CommandMeta, CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { ApiIfMatch, ApiProblems, ApiResult, IfMatch } from '@maatlat/shared/nest';
import { AddedUnitView, OrganisationSummaryView, OrganisationView, UnitNodeView } from './organisation.views';
import { AddUnitDto, ChangeOrganisationProfileDto, ListOrganisationsQueryDto, MoveUnitDto, RegisterOrganisationDto, RenameUnitDto } from './organisation.dtos';


/**
 * Organisations and their unit trees. The platform administrator registers organisations;
 * coordinators keep their own organisation's units; auditors read the organisations assigned to
 * them. Everyone else, and everyone for another organisation, is refused.
 */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: Organisations) {}

  /** Scoped: checks ids, then that the caller acts for the organisation. */
  private scoped(principal: Principal, ids: Record<string, string> & { organisationId: string }): void {
    assertIds(ids);
    assertActsFor(principal, ids.organisationId);
  }

  @Post()
  @Roles('platform-admin')
  @ApiOperation({ summary: 'Register an organisation' })
  @ApiResult(201, 'The organisation; its revision is the ETag.', OrganisationView)
  register(@Body() dto: RegisterOrganisationDto, @CommandMeta() meta: CommandMetadata) {
    return this.organisations.register(dto, meta);
  }

  @Get()
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'List organisations (all for an administrator, otherwise the caller\'s own), optionally one peer group' })
  @ApiResult(200, 'The organisations, by name.', [OrganisationSummaryView])
  async list(@Query() query: ListOrganisationsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.organisations.list({ ...query, ids: hasRole(principal, 'platform-admin') ? undefined : principal.organisations });
  }

  @Get(':organisationId')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'One organisation with its units; its revision is the ETag' })
  @ApiResult(200, 'The organisation.', OrganisationView)
  get(@Param('organisationId') organisationId: string, @CurrentPrincipal() principal: Principal) {
    this.scoped(principal, { organisationId });
    return this.organisations.get(organisationId);
  }

  @Get(':organisationId/tree')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'The unit tree, parents before children, with paths and depths' })
  @ApiResult(200, 'Every unit, parents before children.', [UnitNodeView])
  async tree(@Param('organisationId') organisationId: string, @CurrentPrincipal() principal: Principal) {
    this.scoped(principal, { organisationId });
    await this.organisations.get(organisationId);
    return this.organisations.tree(organisationId);
  }

  @Patch(':organisationId')
  @Roles('platform-admin')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Change name, type or size band' })
  @ApiResult(200, 'The organisation as changed.', OrganisationView)
  changeProfile(@Param('organisationId') organisationId: string, @Body() dto: ChangeOrganisationProfileDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    this.scoped(principal, { organisationId });
    return this.organisations.changeProfile(organisationId, dto, meta, revision);
  }

  @Post(':organisationId/units')
  @Roles('platform-admin', 'coordinator')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Add a unit (division, department, team)' })
  @ApiResult(201, 'The new unit and the organisation with it.', AddedUnitView)
  @ApiProblems({ 422: 'The parent unit is closed.' })
  addUnit(@Param('organisationId') organisationId: string, @Body() dto: AddUnitDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    this.scoped(principal, { organisationId });
    return this.organisations.addUnit(organisationId, { parentUnitId: dto.parentUnitId ?? null, name: dto.name, kind: dto.kind }, meta, revision);
  }

  @Patch(':organisationId/units/:unitId')
  @Roles('platform-admin', 'coordinator')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Rename a unit' })
  @ApiResult(200, 'The organisation as changed.', OrganisationView)
  @ApiProblems({ 422: 'The unit is closed.' })
  renameUnit(@Param('organisationId') organisationId: string, @Param('unitId') unitId: string, @Body() dto: RenameUnitDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    this.scoped(principal, { organisationId, unitId });
    return this.organisations.renameUnit(organisationId, unitId, dto.name, meta, revision);
  }

  @Post(':organisationId/units/:unitId/move')
  @Roles('platform-admin', 'coordinator')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOperation({ summary: 'Move a unit under another (never under itself or its descendants: 422)' })
  @ApiResult(200, 'The organisation as changed.', OrganisationView)
  @ApiProblems({ 422: 'The unit or its new parent is closed, or the new parent is the unit itself or one of its descendants.' })
  moveUnit(@Param('organisationId') organisationId: string, @Param('unitId') unitId: string, @Body() dto: MoveUnitDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    this.scoped(principal, { organisationId, unitId });
    return this.organisations.moveUnit(organisationId, unitId, dto.toParentUnitId, meta, revision);
  }

  @Post(':organisationId/units/:unitId/close')
  @Roles('platform-admin', 'coordinator')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOperation({ summary: 'Close a unit (its open units must be closed or moved first)' })
  @ApiResult(200, 'The organisation as changed.', OrganisationView)
  @ApiProblems({ 422: 'The unit is closed already, or still has open units below it.' })
  closeUnit(@Param('organisationId') organisationId: string, @Param('unitId') unitId: string, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    this.scoped(principal, { organisationId, unitId });
    return this.organisations.closeUnit(organisationId, unitId, meta, revision);
  }
}
