import type { CommandMetadata } from '@maatlat/shared/domain';
import type { RecalculationStarted } from './recalculation.events';

type Cmd<Type extends string, Data> = { type: Type; data: Data; metadata: CommandMetadata };

/** `assessmentIds`: the closed assessments of the source version, found by the handler in the log. */
export type StartRecalculation = Cmd<'StartRecalculation', RecalculationStarted['data']>;
export type IncludeInRecalculation = Cmd<'IncludeInRecalculation', { assessmentId: string }>;
export type RecordRecalculationFailure = Cmd<'RecordRecalculationFailure', { assessmentId: string; reason: string }>;

export type RecalculationCommand = StartRecalculation | IncludeInRecalculation | RecordRecalculationFailure;
