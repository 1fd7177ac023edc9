import { Conflict, NotFound, RuleBroken, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import { documentHash, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { answersOf, type RecordedAssessmentEvent } from './answers-of';
import type { AssessmentCommand } from './assessment.commands';
import { answeredQuestions, assessmentDecider, type AssessmentState } from './assessment.decider';
import type { AssessmentEvent } from './assessment.events';
import { CURRENT_SCORING_ALGORITHM, scoreWith } from './scoring';

const model = SHIPPED_MODELS['2026.1'];
const contentHash = documentHash(model);
const questionIds = model.factors.flatMap((f) => f.questions.map((q) => q.id));
const metadata: CommandMetadata = { now: new Date('2026-11-28T12:00:00Z'), actor: 'coordinator-1', correlationId: 'c' };
const spec = deciderSpec(assessmentDecider);
const command = (type: AssessmentCommand['type'], data: object) => ({ type, data, metadata }) as AssessmentCommand;

const openData = {
  assessmentId: 'as-1',
  organisationId: 'org-1',
  scope: { kind: 'organisation', organisationId: 'org-1' },
  period: '2026',
  model: { key: model.key, version: model.version, contentHash, status: 'published', questionIds, layers: ['strategic', 'tactical', 'operational'] },
  layers: ['strategic', 'operational'],
};
const opened: AssessmentEvent = {
  type: 'AssessmentOpened',
  data: { assessmentId: 'as-1', organisationId: 'org-1', scope: { kind: 'organisation', organisationId: 'org-1' }, period: '2026', model: { key: model.key, version: model.version, contentHash }, layers: ['strategic', 'operational'], questionIds },
};
const invited: AssessmentEvent = { type: 'RespondentInvitedToAssessment', data: { respondentId: 'r-1', layer: 'strategic' } };
const answerData = { respondentId: 'r-1', questionId: 'F01-Q1', answer: { level: 3 }, justification: null, evidence: [{ kind: 'url', reference: 'https://example.nl/datastrategie.pdf', title: 'Datastrategie' }] };
const recorded: AssessmentEvent = { type: 'AnswerRecorded', data: answerData as never };

describe('assessment lifecycle', () => {
  it('opens on a published model version, pinning it', () => {
    spec.given([]).when(command('OpenAssessment', openData)).then([opened]);
  });
  it('refuses an unpublished or retired model version, and a layer the model lacks', () => {
    spec.given([]).when(command('OpenAssessment', { ...openData, model: { ...openData.model, status: 'retired' } })).thenThrows(RuleBroken, /is retired/);
    spec.given([]).when(command('OpenAssessment', { ...openData, model: { ...openData.model, status: 'draft' } })).thenThrows(RuleBroken, /is draft/);
    spec.given([]).when(command('OpenAssessment', { ...openData, layers: ['board'] })).thenThrows(ValidationFailed, 'layers: the model has no layer board');
  });
  it('invites per layer, once', () => {
    spec.given([opened]).when(command('InviteToAssessment', { respondentId: 'r-1', layer: 'strategic' })).then([invited]);
    spec.given([opened]).when(command('InviteToAssessment', { respondentId: 'r-1', layer: 'tactical' })).thenThrows(ValidationFailed, /does not cover the tactical layer/);
    spec.given([opened, invited]).when(command('InviteToAssessment', { respondentId: 'r-1', layer: 'strategic' })).thenThrows(Conflict);
  });
  it('records an answer, then revisions of it', () => {
    spec.given([opened, invited]).when(command('RecordAnswer', answerData)).then([recorded]);
    spec.given([opened, invited, recorded]).when(command('RecordAnswer', { ...answerData, answer: { dontKnow: true } })).then([
      { type: 'AnswerRevised', data: { ...(answerData as object), answer: { dontKnow: true }, revises: 1 } as never },
    ]);
  });
  it('counts answers per respondent and question: revisions by the same respondent, first answers by another', () => {
    const invitedToo: AssessmentEvent = { type: 'RespondentInvitedToAssessment', data: { respondentId: 'r-2', layer: 'operational' } };
    const answer = (respondentId: string, questionId: string, revises?: number): AssessmentEvent =>
      revises
        ? { type: 'AnswerRevised', data: { ...(answerData as object), respondentId, questionId, revises } as never }
        : { type: 'AnswerRecorded', data: { ...(answerData as object), respondentId, questionId } as never };
    const history = [opened, invited, invitedToo, answer('r-1', 'F01-Q1'), answer('r-2', 'F01-Q1'), answer('r-1', 'F01-Q1', 1), answer('r-1', 'F02-Q1')];
    spec.given(history).when(command('RecordAnswer', { ...answerData, respondentId: 'r-1', questionId: 'F01-Q1' })).then([answer('r-1', 'F01-Q1', 2)]);
    spec.given(history).when(command('RecordAnswer', { ...answerData, respondentId: 'r-2', questionId: 'F01-Q1' })).then([answer('r-2', 'F01-Q1', 1)]);
    spec.given(history).when(command('RecordAnswer', { ...answerData, respondentId: 'r-2', questionId: 'F02-Q1' })).then([answer('r-2', 'F02-Q1')]);
    const state = history.reduce(assessmentDecider.evolve, assessmentDecider.initialState()) as Extract<AssessmentState, { status: 'open' }>;
    expect(answeredQuestions(state)).toBe(3);
  });

  it('refuses levels outside 0..5, unknown questions, uninvited or submitted respondents, and answers after closing', () => {
    spec.given([opened, invited]).when(command('RecordAnswer', { ...answerData, answer: { level: 6 } })).thenThrows(ValidationFailed, 'answer.level: must be a whole number from 0 to 5');
    spec.given([opened, invited]).when(command('RecordAnswer', { ...answerData, questionId: 'F99-Q1' })).thenThrows(ValidationFailed, 'questionId: F99-Q1 is not a question of datagedreven-overheid@2026.1');
    spec.given([opened]).when(command('RecordAnswer', answerData)).thenThrows(RuleBroken, /not invited/);
    spec.given([opened, invited, { type: 'ResponseSubmitted', data: { respondentId: 'r-1' } }]).when(command('RecordAnswer', answerData)).thenThrows(RuleBroken, /has submitted/);
    spec.given([opened, invited, { type: 'AssessmentClosed', data: { assessmentId: 'as-1' } }]).when(command('RecordAnswer', answerData)).thenThrows(RuleBroken, 'assessment as-1 is closed');
  });
  it('closes once, recording the score with it; closing twice is refused', () => {
    const score = scoreWith(CURRENT_SCORING_ALGORITHM, model, contentHash, []);
    spec.given([opened]).when(command('CloseAssessment', { score, answersUpToVersion: 1 })).then([
      { type: 'AssessmentClosed', data: { assessmentId: 'as-1' } },
      { type: 'ScoreCalculated', data: { score, answersUpToVersion: 1 } },
    ]);
    spec.given([opened, { type: 'AssessmentClosed', data: { assessmentId: 'as-1' } }]).when(command('CloseAssessment', { score, answersUpToVersion: 1 })).thenThrows(RuleBroken, /already closed/);
    spec.given([]).when(command('CloseAssessment', { score, answersUpToVersion: 0 })).thenThrows(NotFound);
  });
});

/** A small deterministic generator, so a failing case can be reproduced from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('replay: recomputing a recorded score from its events gives the same result (property, 60 generated assessments)', () => {
  it.each(Array.from({ length: 60 }, (_, seed) => [seed]))('seed %i', (seed) => {
    const next = random(seed + 1);
    const layers = ['strategic', 'tactical', 'operational'] as const;
    let state = assessmentDecider.initialState();
    const stream: RecordedAssessmentEvent[] = [];
    const apply = (cmd: AssessmentCommand) => {
      for (const event of assessmentDecider.decide(cmd, state)) {
        state = assessmentDecider.evolve(state, event);
        stream.push({ version: stream.length + 1, eventId: `e-${stream.length + 1}`, hash: `h-${stream.length + 1}`, event });
      }
    };
    apply(command('OpenAssessment', { ...openData, layers: [...layers] }));
    const respondents = Array.from({ length: 2 + Math.floor(next() * 8) }, (_, i) => ({ id: `r-${i}`, layer: layers[Math.floor(next() * 3)] }));
    respondents.forEach((r) => apply(command('InviteToAssessment', { respondentId: r.id, layer: r.layer })));
    const answerCount = Math.floor(next() * 200);
    for (let i = 0; i < answerCount; i++) {
      const r = respondents[Math.floor(next() * respondents.length)];
      const answer = next() < 0.1 ? { dontKnow: true } : { level: Math.floor(next() * 6) };
      apply(command('RecordAnswer', { respondentId: r.id, questionId: questionIds[Math.floor(next() * questionIds.length)], answer, justification: null, evidence: [] }));
    }
    const upTo = stream.length;
    apply(command('CloseAssessment', { score: scoreWith(CURRENT_SCORING_ALGORITHM, model, contentHash, answersOf(stream)), answersUpToVersion: upTo }));

    const recordedScore = stream.find((e) => e.event.type === 'ScoreCalculated')!.event as Extract<AssessmentEvent, { type: 'ScoreCalculated' }>;
    const replayed = scoreWith(recordedScore.data.score.algorithm, model, contentHash, answersOf(stream, recordedScore.data.answersUpToVersion));
    expect(replayed).toEqual(recordedScore.data.score);
  });
});
