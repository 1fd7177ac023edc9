import { assertNever, NotFound, type Decider } from '@maatlat/shared/domain';
import type { RecalculationCause } from './assessment.events';
import type { RecalculationCommand } from './recalculation.commands';
import type { ModelVersionRef, RecalculationEvent } from './recalculation.events';

export type RecalculationState =
  | { status: 'none' }
  | {
      status: 'started';
      recalculationId: string;
      cause: RecalculationCause;
      target: ModelVersionRef;
      /** Listed at the start, then those included later, in that order. */
      assessmentIds: string[];
      failures: { assessmentId: string; reason: string }[];
    };

/** The model version a recalculation rescores from: the predecessor, or the same version for an algorithm upgrade. */
export function recalculationSource(state: { cause: RecalculationCause; target: ModelVersionRef }): string {
  return state.cause.kind === 'model-published' ? state.cause.from : `${state.target.key}@${state.target.version}`;
}

/**
 * Whether an assessment closed on `model` belongs in a recalculation it is not yet listed in: the
 * recalculation rescores its model version, and does more than the closing did (an algorithm
 * upgrade to the algorithm closing already used has nothing to add).
 */
export function belongsInRecalculation(state: Extract<RecalculationState, { status: 'started' }>, model: ModelVersionRef, assessmentId: string, closingAlgorithm: string): boolean {
  if (recalculationSource(state) !== `${model.key}@${model.version}` || state.assessmentIds.includes(assessmentId)) return false;
  return !(state.cause.kind === 'algorithm-upgrade' && state.cause.algorithm === closingAlgorithm);
}

/**
 * A recalculation: started once per cause, with the closed assessments it rescores; assessments
 * that close later are included once; an assessment that fails every try is recorded once.
 * Every command is idempotent, so a reaction or job that runs again appends nothing.
 */
export const recalculationDecider: Decider<RecalculationCommand, RecalculationState, RecalculationEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve(state, event) {
    switch (event.type) {
      case 'RecalculationStarted':
        return { status: 'started', ...event.data, assessmentIds: [...event.data.assessmentIds], failures: [] };
      case 'RecalculationIncluded':
        return state.status === 'started' ? { ...state, assessmentIds: [...state.assessmentIds, event.data.assessmentId] } : state;
      case 'RecalculationFailed':
        return state.status === 'started' ? { ...state, failures: [...state.failures, event.data] } : state;
      default:
        return assertNever(event, 'recalculation event');
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'StartRecalculation':
        return state.status === 'none' ? [{ type: 'RecalculationStarted', data: command.data }] : [];
      case 'IncludeInRecalculation':
        if (state.status === 'none') throw new NotFound('recalculation', 'recalculation');
        return state.assessmentIds.includes(command.data.assessmentId) ? [] : [{ type: 'RecalculationIncluded', data: command.data }];
      case 'RecordRecalculationFailure':
        if (state.status === 'none') throw new NotFound('recalculation', 'recalculation');
        return state.failures.some((f) => f.assessmentId === command.data.assessmentId) ? [] : [{ type: 'RecalculationFailed', data: command.data }];
      default:
        return assertNever(command, 'recalculation command');
    }
  },
};
