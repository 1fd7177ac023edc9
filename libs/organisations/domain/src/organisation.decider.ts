import { assertIds, assertNever, Conflict, NotFound, RuleBroken, ValidationFailed, type Decider } from '@maatlat/shared/domain';
import type { OrganisationCommand } from './organisation.commands';
import type { OrganisationEvent, OrganisationType, SizeBand, UnitKind } from './organisation.events';

export interface Unit {
  unitId: string;
  parentUnitId: string | null;
  name: string;
  kind: UnitKind;
  closed: boolean;
}

export type OrganisationState =
  | { status: 'none' }
  | {
      status: 'registered';
      organisationId: string;
      name: string;
      organisationType: OrganisationType;
      sizeBand: SizeBand;
      units: Record<string, Unit>;
    };

type Registered = Extract<OrganisationState, { status: 'registered' }>;

function requireName(name: string, field: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) throw new ValidationFailed([{ field, problem: 'must be a name of 1 to 200 characters' }]);
  return trimmed;
}

// Unit ids arrive in paths, and "constructor" is a valid one: only the map's own keys are units.
function unitOf(state: Registered, unitId: string): Unit | undefined {
  return Object.hasOwn(state.units, unitId) ? state.units[unitId] : undefined;
}

function openUnit(state: Registered, unitId: string): Unit {
  const unit = unitOf(state, unitId);
  if (!unit) throw new NotFound('unit', unitId);
  if (unit.closed) throw new RuleBroken('unit.closed', `unit ${unitId} (${unit.name}) is closed`);
  return unit;
}

/** True when `candidate` is `unitId` itself or lies anywhere below it. */
export function isWithin(units: Record<string, Unit>, candidate: string, unitId: string): boolean {
  for (let current: string | null = candidate; current !== null; current = units[current]?.parentUnitId ?? null) {
    if (current === unitId) return true;
  }
  return false;
}

export const organisationDecider: Decider<OrganisationCommand, OrganisationState, OrganisationEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'OrganisationRegistered') {
      return { status: 'registered', ...event.data, units: {} };
    }
    if (state.status !== 'registered') return state;
    switch (event.type) {
      case 'OrganisationProfileChanged':
        return { ...state, ...event.data };
      case 'UnitAdded':
        return { ...state, units: { ...state.units, [event.data.unitId]: { ...event.data, closed: false } } };
      case 'UnitRenamed':
        return { ...state, units: { ...state.units, [event.data.unitId]: { ...state.units[event.data.unitId], name: event.data.name } } };
      case 'UnitMoved':
        return { ...state, units: { ...state.units, [event.data.unitId]: { ...state.units[event.data.unitId], parentUnitId: event.data.toParentUnitId } } };
      case 'UnitClosed':
        return { ...state, units: { ...state.units, [event.data.unitId]: { ...state.units[event.data.unitId], closed: true } } };
      default:
        return assertNever(event, 'organisation event');
    }
  },

  decide(command, state) {
    if (command.type === 'RegisterOrganisation') {
      if (state.status !== 'none') throw new Conflict('organisation.exists', `organisation ${command.data.organisationId} is already registered`);
      return [{ type: 'OrganisationRegistered', data: { ...command.data, name: requireName(command.data.name, 'name') } }];
    }
    if (state.status !== 'registered') throw new NotFound('organisation', 'organisation');
    switch (command.type) {
      case 'ChangeOrganisationProfile': {
        const next = {
          name: command.data.name === undefined ? state.name : requireName(command.data.name, 'name'),
          organisationType: command.data.organisationType ?? state.organisationType,
          sizeBand: command.data.sizeBand ?? state.sizeBand,
        };
        if (next.name === state.name && next.organisationType === state.organisationType && next.sizeBand === state.sizeBand) return [];
        return [{ type: 'OrganisationProfileChanged', data: next }];
      }
      case 'AddUnit': {
        const { unitId, parentUnitId, kind } = command.data;
        // Unit ids become segments of materialised paths: no '/', no LIKE wildcards.
        assertIds({ unitId });
        if (unitOf(state, unitId)) throw new Conflict('unit.exists', `unit ${unitId} already exists`);
        if (parentUnitId !== null) openUnit(state, parentUnitId);
        return [{ type: 'UnitAdded', data: { unitId, parentUnitId, name: requireName(command.data.name, 'name'), kind } }];
      }
      case 'RenameUnit': {
        const unit = openUnit(state, command.data.unitId);
        const name = requireName(command.data.name, 'name');
        return name === unit.name ? [] : [{ type: 'UnitRenamed', data: { unitId: unit.unitId, name } }];
      }
      case 'MoveUnit': {
        const unit = openUnit(state, command.data.unitId);
        const target = command.data.toParentUnitId;
        if (target !== null) {
          openUnit(state, target);
          if (isWithin(state.units, target, unit.unitId)) {
            throw new RuleBroken('unit.cycle', `unit ${unit.unitId} cannot move under ${target}: that is the unit itself or one of its descendants`);
          }
        }
        if (target === unit.parentUnitId) return [];
        return [{ type: 'UnitMoved', data: { unitId: unit.unitId, fromParentUnitId: unit.parentUnitId, toParentUnitId: target } }];
      }
      case 'CloseUnit': {
        const unit = openUnit(state, command.data.unitId);
        const openChildren = Object.values(state.units).filter((u) => u.parentUnitId === unit.unitId && !u.closed);
        if (openChildren.length) {
          throw new RuleBroken('unit.has-open-children', `unit ${unit.unitId} still has open units below it: ${openChildren.map((u) => u.unitId).join(', ')}`);
        }
        return [{ type: 'UnitClosed', data: { unitId: unit.unitId } }];
      }
      default:
        return assertNever(command, 'organisation command');
    }
  },
};
