import { parseStreamId } from '@maatlat/shared/domain';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { ScoreResult } from './scoring';

export type AssessmentScope =
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'unit'; organisationId: string; unitId: string }
  | { kind: 'chain'; chainId: string };

export interface PinnedModel {
  key: string;
  version: string;
  contentHash: string;
}

export interface EvidenceReference {
  kind: 'url' | 'document';
  reference: string;
  title: string;
}

/** A level 0..5, or "don't know". */
export type AnswerValue = { level: number } | { dontKnow: true };

/** A justification is personal data: it travels sealed with the respondent's key (see respondents). */
export interface SealedJustification {
  alg: 'A256GCM';
  iv: string;
  tag: string;
  ciphertext: string;
}

export type AssessmentOpened = {
  type: 'AssessmentOpened';
  data: { assessmentId: string; organisationId: string; scope: AssessmentScope; period: string; model: PinnedModel; layers: LayerId[]; questionIds: string[] };
};
export type RespondentInvitedToAssessment = { type: 'RespondentInvitedToAssessment'; data: { respondentId: string; layer: LayerId } };
export type AnswerRecorded = {
  type: 'AnswerRecorded';
  data: { respondentId: string; questionId: string; answer: AnswerValue; justification: SealedJustification | null; evidence: EvidenceReference[] };
};
export type AnswerRevised = { type: 'AnswerRevised'; data: AnswerRecorded['data'] & { revises: number } };
export type ResponseSubmitted = { type: 'ResponseSubmitted'; data: { respondentId: string } };
export type AssessmentClosed = { type: 'AssessmentClosed'; data: { assessmentId: string } };
/**
 * A response stream as a score read it: its version and that event's hash. A score lists every
 * response stream it counted, so it cites exactly the answers it scored, and an auditor can check
 * the streams still end where the score saw them.
 */
export interface ResponseCut {
  streamId: string;
  version: number;
  hash: string;
}

/**
 * `answersUpToVersion`: the assessment stream's version the score read (its invitations; and the
 * answers of assessments answered before response streams); `responses`: each response stream it
 * read, at its version then (absent on scores of assessments without response streams).
 */
export type ScoreCalculated = { type: 'ScoreCalculated'; data: { score: ScoreResult; answersUpToVersion: number; responses?: ResponseCut[] } };

/** What made a recalculation happen: a new model version with a crosswalk, or a new scoring algorithm. */
export type RecalculationCause =
  | { kind: 'model-published'; publishedEventId: string; from: string; to: string; crosswalkHash: string | null }
  | { kind: 'algorithm-upgrade'; algorithm: string };

export interface CrosswalkMapping {
  from: string;
  to: string;
  crosswalkHash: string | null;
  /** Old question id -> the new question ids its answers now count for. */
  questions: Record<string, string[]>;
  retired: string[];
}

export type ScoreRecalculated = {
  type: 'ScoreRecalculated';
  data: { recalculationId: string; cause: RecalculationCause; previous: ScoreResult | null; score: ScoreResult; mapping: CrosswalkMapping | null; answersUpToVersion: number; responses?: ResponseCut[] };
};

/** What a respondent's response stream holds: their answers, revisions and submission. */
export type ResponseEvent = AnswerRecorded | AnswerRevised | ResponseSubmitted;

export type AssessmentEvent =
  | AssessmentOpened
  | RespondentInvitedToAssessment
  | AnswerRecorded
  | AnswerRevised
  | ResponseSubmitted
  | AssessmentClosed
  | ScoreCalculated
  | ScoreRecalculated;

export function assessmentStreamId(assessmentId: string): string {
  return `assessment-${assessmentId}`;
}

export function parseAssessmentStreamId(streamId: string): string {
  return parseStreamId('assessment', streamId);
}

/**
 * One respondent's response to one assessment: their answers are facts of their own, so they get a
 * stream of their own, and respondents answering at once never meet on one stream version. The ':'
 * cannot occur in either id (see ENTITY_ID), so the stream id parses back unambiguously.
 */
export function responseStreamId(assessmentId: string, respondentId: string): string {
  return `response-${assessmentId}:${respondentId}`;
}

export function parseResponseStreamId(streamId: string): { assessmentId: string; respondentId: string } {
  const ids = parseStreamId('response', streamId);
  const colon = ids.indexOf(':');
  if (colon <= 0 || colon === ids.length - 1) throw new Error(`"${streamId}" is not a response stream id`);
  return { assessmentId: ids.slice(0, colon), respondentId: ids.slice(colon + 1) };
}
