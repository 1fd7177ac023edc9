import { assertNever, Conflict, NotFound, RuleBroken, ValidationFailed, type Decider } from '@maatlat/shared/domain';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { AssessmentCommand } from './assessment.commands';
import type { AssessmentEvent, PinnedModel } from './assessment.events';

interface Invitee {
  layer: LayerId;
  submitted: boolean;
  /** Invitation order: this invitee's row in `answerCounts`. */
  order: number;
}

export type AssessmentState =
  | { status: 'none' }
  | {
      status: 'open' | 'closed';
      assessmentId: string;
      organisationId: string;
      model: PinnedModel;
      layers: LayerId[];
      questionIds: string[];
      invitees: Record<string, Invitee>;
      /** Each question's column in `answerCounts`: its place in the model. */
      questionOrder: Readonly<Record<string, number>>;
      /**
       * How many times each invitee answered each question: a row per invitee (invitation order), a
       * column per question. Arrays, not records keyed by id, because evolve copies the changed row
       * and the list of rows for every answer, and array copies are several times cheaper.
       */
      answerCounts: readonly (readonly number[] | undefined)[];
      scored: boolean;
    };

/** How many questions have been answered, counted once per respondent and question. */
export function answeredQuestions(state: Extract<AssessmentState, { status: 'open' | 'closed' }>): number {
  return state.answerCounts.reduce((total, row) => total + (row ? row.filter((times) => times > 0).length : 0), 0);
}

type Existing = Extract<AssessmentState, { status: 'open' | 'closed' }>;

function requireOpen(state: AssessmentState): Existing {
  if (state.status === 'none') throw new NotFound('assessment', 'assessment');
  if (state.status === 'closed') throw new RuleBroken('assessment.closed', `assessment ${state.assessmentId} is closed`);
  return state;
}

export const assessmentDecider: Decider<AssessmentCommand, AssessmentState, AssessmentEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'AssessmentOpened') {
      const { assessmentId, organisationId, model, layers, questionIds } = event.data;
      const questionOrder = Object.fromEntries(questionIds.map((questionId, column) => [questionId, column]));
      return { status: 'open', assessmentId, organisationId, model, layers, questionIds, questionOrder, invitees: {}, answerCounts: [], scored: false };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'RespondentInvitedToAssessment': {
        const order = Object.keys(state.invitees).length;
        return { ...state, invitees: { ...state.invitees, [event.data.respondentId]: { layer: event.data.layer, submitted: false, order } } };
      }
      case 'AnswerRecorded':
      case 'AnswerRevised': {
        // decide() only lets invitees answer the model's questions, so both are always found.
        const row = state.invitees[event.data.respondentId]?.order;
        const column = state.questionOrder[event.data.questionId];
        if (row === undefined || column === undefined) return state;
        const answerCounts = state.answerCounts.slice();
        const counts = answerCounts[row]?.slice() ?? [];
        counts[column] = (counts[column] ?? 0) + 1;
        answerCounts[row] = counts;
        return { ...state, answerCounts };
      }
      case 'ResponseSubmitted':
        return { ...state, invitees: { ...state.invitees, [event.data.respondentId]: { ...state.invitees[event.data.respondentId], submitted: true } } };
      case 'AssessmentClosed':
        return { ...state, status: 'closed' };
      case 'ScoreCalculated':
        return { ...state, scored: true };
      case 'ScoreRecalculated':
        return state;
      default:
        return assertNever(event, 'assessment event');
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'OpenAssessment': {
        if (state.status !== 'none') throw new Conflict('assessment.exists', `assessment ${command.data.assessmentId} already exists`);
        const { model, layers, period } = command.data;
        if (model.status !== 'published') {
          throw new RuleBroken('assessment.model-not-published', `model ${model.key}@${model.version} is ${model.status}; an assessment pins a published version`);
        }
        const problems: { field: string; problem: string }[] = [];
        if (!/^\d{4}(-[A-Za-z0-9]+)?$/.test(period)) problems.push({ field: 'period', problem: 'must be a year, optionally with a label, e.g. 2026 or 2026-Q3' });
        if (layers.length === 0) problems.push({ field: 'layers', problem: 'must name at least one layer' });
        for (const layer of layers) if (!model.layers.includes(layer)) problems.push({ field: 'layers', problem: `the model has no layer ${layer}` });
        if (problems.length) throw new ValidationFailed(problems);
        return [
          {
            type: 'AssessmentOpened',
            data: {
              assessmentId: command.data.assessmentId,
              organisationId: command.data.organisationId,
              scope: command.data.scope,
              period,
              model: { key: model.key, version: model.version, contentHash: model.contentHash },
              layers: [...new Set(layers)],
              questionIds: model.questionIds,
            },
          },
        ];
      }
      case 'InviteToAssessment': {
        const open = requireOpen(state);
        if (!open.layers.includes(command.data.layer)) throw new ValidationFailed([{ field: 'layer', problem: `this assessment does not cover the ${command.data.layer} layer` }]);
        if (open.invitees[command.data.respondentId]) throw new Conflict('assessment.already-invited', `respondent ${command.data.respondentId} is already invited`);
        return [{ type: 'RespondentInvitedToAssessment', data: command.data }];
      }
      case 'RecordAnswer': {
        const open = requireOpen(state);
        const { expectedRevision, ...recorded } = command.data;
        const { respondentId, questionId, answer } = recorded;
        const invitee = open.invitees[respondentId];
        if (!invitee) throw new RuleBroken('assessment.not-invited', `respondent ${respondentId} is not invited to this assessment`);
        if (invitee.submitted) throw new RuleBroken('assessment.response-submitted', `respondent ${respondentId} has submitted their response`);
        const problems: { field: string; problem: string }[] = [];
        if (!open.questionIds.includes(questionId)) problems.push({ field: 'questionId', problem: `${questionId} is not a question of ${open.model.key}@${open.model.version}` });
        if ('level' in answer && (!Number.isInteger(answer.level) || answer.level < 0 || answer.level > 5)) problems.push({ field: 'answer.level', problem: 'must be a whole number from 0 to 5' });
        if (problems.length) throw new ValidationFailed(problems);
        const times = open.answerCounts[invitee.order]?.[open.questionOrder[questionId]] ?? 0;
        if (expectedRevision !== undefined && expectedRevision !== times) {
          throw new Conflict('answer.changed', `the answer to ${questionId} was changed elsewhere: it is at revision ${times}, not ${expectedRevision}`, { currentRevision: times, expectedRevision });
        }
        return times === 0 ? [{ type: 'AnswerRecorded', data: recorded }] : [{ type: 'AnswerRevised', data: { ...recorded, revises: times } }];
      }
      case 'SubmitResponse': {
        const open = requireOpen(state);
        const invitee = open.invitees[command.data.respondentId];
        if (!invitee) throw new RuleBroken('assessment.not-invited', `respondent ${command.data.respondentId} is not invited to this assessment`);
        if (invitee.submitted) throw new RuleBroken('assessment.response-submitted', `respondent ${command.data.respondentId} has already submitted`);
        return [{ type: 'ResponseSubmitted', data: command.data }];
      }
      case 'CloseAssessment': {
        if (state.status === 'closed') throw new RuleBroken('assessment.closed', `assessment ${state.assessmentId} is already closed`);
        const open = requireOpen(state);
        if (command.data.score.model.contentHash !== open.model.contentHash) {
          throw new RuleBroken('assessment.model-mismatch', 'the score was not calculated with the pinned model version');
        }
        return [
          { type: 'AssessmentClosed', data: { assessmentId: open.assessmentId } },
          {
            type: 'ScoreCalculated',
            data: { score: command.data.score, answersUpToVersion: command.data.answersUpToVersion, ...(command.data.responses ? { responses: command.data.responses } : {}) },
          },
        ];
      }
      case 'RecalculateScore': {
        if (state.status === 'none') throw new NotFound('assessment', 'assessment');
        if (state.status !== 'closed') throw new RuleBroken('assessment.not-closed', `assessment ${state.assessmentId} is not closed; only closed assessments are recalculated`);
        return [{ type: 'ScoreRecalculated', data: command.data }];
      }
      default:
        return assertNever(command, 'assessment command');
    }
  },
};
