import { createTestDatabase, projectionSpec, type GivenEvent, type TestDatabase } from '@maatlat/shared/testing';
import type { AssessmentEvent } from '@maatlat/assessments/domain';
import { assessmentsProjection } from './assessments.projection';

const at = (day: number) => new Date(Date.UTC(2026, 4, day, 8));

type Given = GivenEvent<AssessmentEvent>;
const opened = (assessmentId: string, period: string, recordedAt: Date): Given => ({
  type: 'AssessmentOpened',
  data: {
    assessmentId,
    organisationId: 'utrecht',
    scope: { kind: 'organisation', organisationId: 'utrecht' },
    period,
    model: { key: 'datagedreven-overheid', version: '2026.1', contentHash: 'hash-2026.1' },
    layers: ['strategic', 'operational'],
    questionIds: ['F01-Q1', 'F01-Q2'],
  },
  streamId: `assessment-${assessmentId}`,
  recordedAt,
});
const invited = (assessmentId: string): Given => ({ type: 'RespondentInvitedToAssessment', data: { respondentId: 'r-00000000000000a1', layer: 'strategic' }, streamId: `assessment-${assessmentId}` });
const answered = (assessmentId: string): Given => ({
  type: 'AnswerRecorded',
  data: { respondentId: 'r-00000000000000a1', questionId: 'F01-Q1', answer: { level: 3 }, justification: null, evidence: [] },
  streamId: `assessment-${assessmentId}`,
});
const closed = (assessmentId: string, recordedAt: Date): Given => ({ type: 'AssessmentClosed', data: { assessmentId }, streamId: `assessment-${assessmentId}`, recordedAt });

const row = (assessmentId: string, period: string, openedAt: Date) => ({
  assessment_id: assessmentId,
  organisation_id: 'utrecht',
  period,
  model_key: 'datagedreven-overheid',
  model_version: '2026.1',
  status: 'open',
  opened_at: openedAt,
  closed_at: null,
});

describe('assessments projection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());
  const spec = () => projectionSpec(assessmentsProjection, database);

  it('lists an opened assessment with its organisation, period and pinned model version, open', async () => {
    await spec().given([opened('a-2026', '2026', at(1)), invited('a-2026'), answered('a-2026')]).thenRows('assessments', [row('a-2026', '2026', at(1))]);
  });

  it('marks a closed assessment closed with the moment, leaving the other open', async () => {
    await spec()
      .given([opened('a-2026', '2026', at(1)), opened('a-2026-q3', '2026-Q3', at(2)), answered('a-2026'), closed('a-2026', at(20))])
      .thenRows('assessments', [
        { ...row('a-2026', '2026', at(1)), status: 'closed', closed_at: at(20) },
        row('a-2026-q3', '2026-Q3', at(2)),
      ]);
  });

  it('rebuilds to the rows it reached live', async () => {
    const rows = await spec()
      .given([opened('a-2026', '2026', at(1)), opened('a-2026-q3', '2026-Q3', at(2)), closed('a-2026', at(20)), closed('a-2026-q3', at(21))])
      .thenRebuildEqualsIncremental('assessments', 3);
    expect(rows).toEqual([
      { ...row('a-2026', '2026', at(1)), status: 'closed', closed_at: at(20) },
      { ...row('a-2026-q3', '2026-Q3', at(2)), status: 'closed', closed_at: at(21) },
    ]);
  });
});
