import { parseStreamId } from '@maatlat/shared/domain';
import type { RecalculationCause } from './assessment.events';

export interface ModelVersionRef {
  key: string;
  version: string;
}

/** A recalculation's start: its cause, the version it rescores to, and the closed assessments it found. */
export type RecalculationStarted = {
  type: 'RecalculationStarted';
  data: { recalculationId: string; cause: RecalculationCause; assessmentIds: string[]; target: ModelVersionRef };
};
/** An assessment that closed after its recalculation started, so the start could not list it. */
export type RecalculationIncluded = { type: 'RecalculationIncluded'; data: { assessmentId: string } };
/** An assessment that could not be rescored after every try, with the reason. */
export type RecalculationFailed = { type: 'RecalculationFailed'; data: { assessmentId: string; reason: string } };

export type RecalculationEvent = RecalculationStarted | RecalculationIncluded | RecalculationFailed;

export function recalculationStreamId(recalculationId: string): string {
  return `recalculation-${recalculationId}`;
}

export function parseRecalculationStreamId(streamId: string): string {
  return parseStreamId('recalculation', streamId);
}
