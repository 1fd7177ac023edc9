import { Conflict, NotFound, RuleBroken, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import type { OrganisationCommand } from './organisation.commands';
import { organisationDecider } from './organisation.decider';
import type { OrganisationEvent } from './organisation.events';

const metadata: CommandMetadata = { now: new Date('2026-11-28T12:00:00Z'), actor: 'admin-1', correlationId: 'c-1' };
const spec = deciderSpec(organisationDecider);
const command = <T extends OrganisationCommand['type']>(type: T, data: Extract<OrganisationCommand, { type: T }>['data']) => ({ type, data, metadata }) as OrganisationCommand;

const registered: OrganisationEvent = {
  type: 'OrganisationRegistered',
  data: { organisationId: 'org-1', name: 'Gemeente Utrecht', organisationType: 'municipality', sizeBand: 'large' },
};
const unit = (unitId: string, parentUnitId: string | null, name = unitId): OrganisationEvent => ({ type: 'UnitAdded', data: { unitId, parentUnitId, name, kind: 'department' } });
// Gemeente Utrecht: Sociaal Domein > Werk en Inkomen > Team Bijstand; Dienstverlening.
const tree = [registered, unit('sd', null, 'Sociaal Domein'), unit('wi', 'sd', 'Werk en Inkomen'), unit('bijstand', 'wi', 'Team Bijstand'), unit('dv', null, 'Dienstverlening')];

describe('organisation', () => {
  it('is registered with a type and size band', () => {
    spec.given([]).when(command('RegisterOrganisation', { organisationId: 'org-1', name: ' Gemeente Utrecht ', organisationType: 'municipality', sizeBand: 'large' })).then([registered]);
  });

  it('is registered once', () => {
    spec.given([registered]).when(command('RegisterOrganisation', { organisationId: 'org-1', name: 'X', organisationType: 'municipality', sizeBand: 'large' })).thenThrows(Conflict);
  });

  it('refuses an empty name', () => {
    spec.given([]).when(command('RegisterOrganisation', { organisationId: 'org-2', name: '  ', organisationType: 'province', sizeBand: 'medium' })).thenThrows(ValidationFailed, 'name: must be a name of 1 to 200 characters');
  });

  it('changes its profile, and says nothing when nothing changes', () => {
    spec.given([registered]).when(command('ChangeOrganisationProfile', { sizeBand: 'very-large' })).then([
      { type: 'OrganisationProfileChanged', data: { name: 'Gemeente Utrecht', organisationType: 'municipality', sizeBand: 'very-large' } },
    ]);
    spec.given([registered]).when(command('ChangeOrganisationProfile', { sizeBand: 'large' })).then([]);
  });

  it('adds units under the root or under an open unit', () => {
    spec.given([registered]).when(command('AddUnit', { unitId: 'sd', parentUnitId: null, name: 'Sociaal Domein', kind: 'department' })).then([unit('sd', null, 'Sociaal Domein')]);
    spec.given(tree).when(command('AddUnit', { unitId: 'schuld', parentUnitId: 'wi', name: 'Team Schuldhulp', kind: 'team' })).then([
      { type: 'UnitAdded', data: { unitId: 'schuld', parentUnitId: 'wi', name: 'Team Schuldhulp', kind: 'team' } },
    ]);
  });

  it('refuses a unit under a parent that does not exist (404) or is closed (422)', () => {
    spec.given(tree).when(command('AddUnit', { unitId: 'x', parentUnitId: 'nope', name: 'X', kind: 'team' })).thenThrows(NotFound, 'unit nope was not found');
    spec.given([...tree, { type: 'UnitClosed', data: { unitId: 'dv' } }]).when(command('AddUnit', { unitId: 'x', parentUnitId: 'dv', name: 'X', kind: 'team' })).thenThrows(RuleBroken, /closed/);
  });

  it('moves a unit, recording where it came from', () => {
    spec.given(tree).when(command('MoveUnit', { unitId: 'bijstand', toParentUnitId: 'dv' })).then([
      { type: 'UnitMoved', data: { unitId: 'bijstand', fromParentUnitId: 'wi', toParentUnitId: 'dv' } },
    ]);
    spec.given(tree).when(command('MoveUnit', { unitId: 'wi', toParentUnitId: null })).then([{ type: 'UnitMoved', data: { unitId: 'wi', fromParentUnitId: 'sd', toParentUnitId: null } }]);
  });

  it('refuses to move a unit under itself or one of its descendants (422)', () => {
    spec.given(tree).when(command('MoveUnit', { unitId: 'sd', toParentUnitId: 'bijstand' })).thenThrows(RuleBroken, 'unit sd cannot move under bijstand: that is the unit itself or one of its descendants');
    spec.given(tree).when(command('MoveUnit', { unitId: 'sd', toParentUnitId: 'sd' })).thenThrows(RuleBroken, /cycle|itself/);
  });

  it('renames a unit', () => {
    spec.given(tree).when(command('RenameUnit', { unitId: 'dv', name: 'Publieksdienstverlening' })).then([{ type: 'UnitRenamed', data: { unitId: 'dv', name: 'Publieksdienstverlening' } }]);
  });

  it('closes a unit only when nothing open remains below it', () => {
    spec.given(tree).when(command('CloseUnit', { unitId: 'wi' })).thenThrows(RuleBroken, 'unit wi still has open units below it: bijstand');
    spec.given(tree).when(command('CloseUnit', { unitId: 'bijstand' })).then([{ type: 'UnitClosed', data: { unitId: 'bijstand' } }]);
  });

  it('knows nothing of an organisation that was never registered', () => {
    spec.given([]).when(command('AddUnit', { unitId: 'x', parentUnitId: null, name: 'X', kind: 'team' })).thenThrows(NotFound);
  });
});
