import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import type { RecalculationCommand } from './recalculation.commands';
import { belongsInRecalculation, recalculationDecider, recalculationSource } from './recalculation.decider';
import type { RecalculationEvent, RecalculationStarted } from './recalculation.events';

const metadata: CommandMetadata = { now: new Date('2027-01-02T10:00:00Z'), actor: 'system:recalculation', correlationId: 'c-1' };
const spec = deciderSpec(recalculationDecider);
const started: RecalculationStarted = {
  type: 'RecalculationStarted',
  data: {
    recalculationId: 'r-1',
    cause: { kind: 'model-published', publishedEventId: 'e-1', from: 'datagedreven-overheid@2026.1', to: 'datagedreven-overheid@2027.1', crosswalkHash: 'h' },
    assessmentIds: ['a-1', 'a-2'],
    target: { key: 'datagedreven-overheid', version: '2027.1' },
  },
};
const command = <T extends RecalculationCommand['type']>(type: T, data: Extract<RecalculationCommand, { type: T }>['data']) => ({ type, data, metadata }) as RecalculationCommand;
const stateAfter = (events: RecalculationEvent[]) => events.reduce(recalculationDecider.evolve, recalculationDecider.initialState());

describe('recalculation decider', () => {
  it('starts once per cause: a second start of the same recalculation appends nothing', () => {
    spec.given([]).when(command('StartRecalculation', started.data)).then([started]);
    spec.given([started]).when(command('StartRecalculation', started.data)).then([]);
  });

  it('includes an assessment that closed later, once; one listed at the start is not included again', () => {
    spec.given([started]).when(command('IncludeInRecalculation', { assessmentId: 'a-3' })).then([{ type: 'RecalculationIncluded', data: { assessmentId: 'a-3' } }]);
    spec.given([started, { type: 'RecalculationIncluded', data: { assessmentId: 'a-3' } }]).when(command('IncludeInRecalculation', { assessmentId: 'a-3' })).then([]);
    spec.given([started]).when(command('IncludeInRecalculation', { assessmentId: 'a-1' })).then([]);
  });

  it('records a final failure once per assessment', () => {
    const failed: RecalculationEvent = { type: 'RecalculationFailed', data: { assessmentId: 'a-2', reason: 'boom' } };
    spec.given([started]).when(command('RecordRecalculationFailure', { assessmentId: 'a-2', reason: 'boom' })).then([failed]);
    spec.given([started, failed]).when(command('RecordRecalculationFailure', { assessmentId: 'a-2', reason: 'again' })).then([]);
  });

  it('refuses to include in, or record a failure for, a recalculation that never started', () => {
    spec.given([]).when(command('IncludeInRecalculation', { assessmentId: 'a-3' })).thenThrows(NotFound);
    spec.given([]).when(command('RecordRecalculationFailure', { assessmentId: 'a-3', reason: 'x' })).thenThrows(NotFound);
  });

  it('rescores from the predecessor for a publication, from the same version for an algorithm upgrade', () => {
    const state = stateAfter([started]);
    if (state.status !== 'started') throw new Error('not started');
    expect(recalculationSource(state)).toBe('datagedreven-overheid@2026.1');
    expect(belongsInRecalculation(state, { key: 'datagedreven-overheid', version: '2026.1' }, 'a-9', 'maatlat-scoring/v1')).toBe(true);
    expect(belongsInRecalculation(state, { key: 'datagedreven-overheid', version: '2027.1' }, 'a-9', 'maatlat-scoring/v1')).toBe(false);
    expect(belongsInRecalculation(state, { key: 'datagedreven-overheid', version: '2026.1' }, 'a-1', 'maatlat-scoring/v1')).toBe(false);
    const upgrade = { ...state, cause: { kind: 'algorithm-upgrade' as const, algorithm: 'maatlat-scoring/v1' }, target: { key: 'datagedreven-overheid', version: '2026.1' } };
    expect(recalculationSource(upgrade)).toBe('datagedreven-overheid@2026.1');
    // Closing already used the upgraded algorithm: nothing to rescore.
    expect(belongsInRecalculation(upgrade, { key: 'datagedreven-overheid', version: '2026.1' }, 'a-9', 'maatlat-scoring/v1')).toBe(false);
    expect(belongsInRecalculation(upgrade, { key: 'datagedreven-overheid', version: '2026.1' }, 'a-9', 'maatlat-scoring/v0')).toBe(true);
  });
});
