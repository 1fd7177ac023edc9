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
export type ScoreCalculated = { type: 'ScoreCalculated'; data: { score: ScoreResult; answersUpToVersion: number } };

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
  data: { recalculationId: string; cause: RecalculationCause; previous: ScoreResult | null; score: ScoreResult; mapping: CrosswalkMapping | null; answersUpToVersion: number };
};

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
