import type { CommandMetadata } from '@maatlat/shared/domain';
import type { InvitationHold } from '@maatlat/access';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { ModelVersionRef, RecalculationCause, ScoreEventSelector } from '@maatlat/assessments/domain';
import type { AssessmentsContext } from './assessments.context';
import { closeAssessment } from './close-assessment';
import { explainRecordedScore } from './explain-score';
import { inviteRespondent } from './invite-respondent';
import { openAssessment, type OpenAssessmentInput } from './open-assessment';
import { listOrganisationAssessments } from './list-organisation-assessments';
import { assessmentTimeline, listScoreEvents, readAssessment, recordedScore } from './read-assessment';
import {
  includeLateClose,
  listRecalculations,
  recalculateAssessment,
  recalculationProgress,
  recordRecalculationFailure,
  startRecalculation,
} from './recalculate-assessments';
import { readOwnResponse } from './read-own-response';
import { recordAnswer, recordAnswers, type AnswerInput } from './record-answer';
import { submitResponse } from './submit-response';
import { verifyAssessment } from './verify-assessment';

/**
 * The assessment use cases, one file each (open-assessment.ts, record-answer.ts, …), bound to what
 * they stand on. Controllers, the CLI, the demo data, benchmarks and tests all call these; each
 * method is only the door to its use case.
 */
export class Assessments {
  constructor(private readonly context: AssessmentsContext) {}

  open = (input: OpenAssessmentInput, metadata: CommandMetadata) => openAssessment(this.context, input, metadata);
  invite = (assessmentId: string, respondentId: string, layer: LayerId, metadata: CommandMetadata, expectedVersion?: number) =>
    inviteRespondent(this.context, assessmentId, respondentId, layer, metadata, expectedVersion);
  recordAnswer = (assessmentId: string, respondentId: string, input: AnswerInput, metadata: CommandMetadata, expectedVersion?: number, invitationLayer?: string, invitation?: InvitationHold) =>
    recordAnswer(this.context, assessmentId, respondentId, input, metadata, expectedVersion, invitationLayer, invitation);
  recordAnswers = (assessmentId: string, respondentId: string, answers: Omit<AnswerInput, 'justification'>[], metadata: CommandMetadata, options?: { submit?: boolean }) =>
    recordAnswers(this.context, assessmentId, respondentId, answers, metadata, options);
  submit = (assessmentId: string, respondentId: string, metadata: CommandMetadata, expectedVersion?: number, invitationLayer?: string) =>
    submitResponse(this.context, assessmentId, respondentId, metadata, expectedVersion, invitationLayer);
  close = (assessmentId: string, metadata: CommandMetadata, expectedVersion?: number) => closeAssessment(this.context, assessmentId, metadata, expectedVersion);
  get = (assessmentId: string, asOf?: Date) => readAssessment(this.context, assessmentId, asOf);
  ownResponse = (assessmentId: string, respondentId: string) => readOwnResponse(this.context, assessmentId, respondentId);
  scores = (assessmentId: string, scoreEvent?: ScoreEventSelector) => recordedScore(this.context, assessmentId, scoreEvent);
  scoreEvents = (assessmentId: string) => listScoreEvents(this.context, assessmentId);
  explain = (assessmentId: string, factorId?: string, scoreEvent?: ScoreEventSelector) => explainRecordedScore(this.context, assessmentId, { factorId, scoreEvent });
  timeline = (assessmentId: string) => assessmentTimeline(this.context, assessmentId);
  verify = (assessmentId: string, scoreEvent?: ScoreEventSelector) => verifyAssessment(this.context, assessmentId, scoreEvent);
  ofOrganisation = (organisationId: string) => listOrganisationAssessments(this.context, organisationId);
  organisationOf = (assessmentId: string) => this.context.assessments.organisationOf(assessmentId);
}

/** The recalculation use cases (recalculate-assessments.ts), bound to what they stand on. */
export class Recalculations {
  constructor(private readonly context: AssessmentsContext) {}

  start = (cause: RecalculationCause, target: ModelVersionRef, from: ModelVersionRef, metadata: CommandMetadata) => startRecalculation(this.context, cause, target, from, metadata);
  includeLateClose = (assessmentId: string, metadata: CommandMetadata) => includeLateClose(this.context, assessmentId, metadata);
  recalculateOne = (recalculationId: string, assessmentId: string, metadata: CommandMetadata) => recalculateAssessment(this.context, recalculationId, assessmentId, metadata);
  recordFailure = (recalculationId: string, assessmentId: string, reason: string, metadata: CommandMetadata) =>
    recordRecalculationFailure(this.context, recalculationId, assessmentId, reason, metadata);
  progress = (recalculationId: string) => recalculationProgress(this.context, recalculationId);
  list = () => listRecalculations(this.context);
}
