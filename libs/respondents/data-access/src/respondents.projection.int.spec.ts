import { createTestDatabase, GIVEN_RECORDED_AT, projectionSpec, type GivenEvent, type TestDatabase } from '@maatlat/shared/testing';
import type { RespondentEvent, SealedPersonalData } from '@maatlat/respondents/domain';
import { respondentsProjection } from './respondents.projection';

const at = (day: number) => new Date(Date.UTC(2026, 2, day, 10));
const sealed: SealedPersonalData = { alg: 'A256GCM', iv: 'aXY=', tag: 'dGFn', ciphertext: 'c2VhbGVk' };

type Given = GivenEvent<RespondentEvent>;
const registered = (respondentId: string, organisationId: string, recordedAt = GIVEN_RECORDED_AT): Given => ({
  type: 'RespondentRegistered',
  data: { respondentId, organisationId, personal: sealed },
  streamId: `respondent-${respondentId}`,
  recordedAt,
});
const erased = (respondentId: string, recordedAt: Date): Given => ({
  type: 'RespondentErased',
  data: { respondentId, legalBasis: 'AVG art. 17' },
  streamId: `respondent-${respondentId}`,
  recordedAt,
});
const invited = (respondentId: string): Given => ({
  type: 'RespondentInvited',
  data: { invitationId: 'inv-1', assessmentId: 'a-1', layer: 'strategic', expiresAt: '2026-04-01T00:00:00.000Z' },
  streamId: `respondent-${respondentId}`,
});

describe('respondents projection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());
  const spec = () => projectionSpec(respondentsProjection, database);

  it('lists a registered respondent by pseudonym and organisation, active, with nothing personal', async () => {
    await spec()
      .given([registered('r-00000000000000a1', 'utrecht')])
      .thenRows('respondents', [{ respondent_id: 'r-00000000000000a1', organisation_id: 'utrecht', status: 'active', registered_at: GIVEN_RECORDED_AT, erased_at: null }]);
  });

  it('marks an erased respondent erased with the moment of erasure, and leaves the others active', async () => {
    await spec()
      .given([registered('r-00000000000000a1', 'utrecht', at(1)), registered('r-00000000000000b2', 'utrecht', at(2)), invited('r-00000000000000a1'), erased('r-00000000000000a1', at(9))])
      .thenRows('respondents', [
        { respondent_id: 'r-00000000000000a1', organisation_id: 'utrecht', status: 'erased', registered_at: at(1), erased_at: at(9) },
        { respondent_id: 'r-00000000000000b2', organisation_id: 'utrecht', status: 'active', registered_at: at(2), erased_at: null },
      ]);
  });

  it('rebuilds to the rows it reached live', async () => {
    const rows = await spec()
      .given([registered('r-00000000000000a1', 'utrecht', at(1)), registered('r-00000000000000b2', 'zwolle', at(2)), erased('r-00000000000000a1', at(9)), erased('r-00000000000000b2', at(10))])
      .thenRebuildEqualsIncremental('respondents', 3);
    expect(rows).toEqual([
      { respondent_id: 'r-00000000000000a1', organisation_id: 'utrecht', status: 'erased', registered_at: at(1), erased_at: at(9) },
      { respondent_id: 'r-00000000000000b2', organisation_id: 'zwolle', status: 'erased', registered_at: at(2), erased_at: at(10) },
    ]);
  });
});
