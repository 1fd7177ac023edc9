import { NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import type { RespondentCommand } from './respondent.commands';
import { respondentDecider } from './respondent.decider';
import type { RespondentEvent } from './respondent.events';

const metadata: CommandMetadata = { now: new Date('2026-11-28T12:00:00Z'), actor: 'coordinator-1', correlationId: 'c' };
const sealed = { alg: 'A256GCM' as const, iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y2lwaGVy' };
const registered: RespondentEvent = { type: 'RespondentRegistered', data: { respondentId: 'r-1', organisationId: 'org-1', personal: sealed } };
const spec = deciderSpec(respondentDecider);
const command = (type: RespondentCommand['type'], data: object) => ({ type, data, metadata }) as RespondentCommand;

describe('respondent', () => {
  it('is registered with sealed personal data only', () => {
    spec.given([]).when(command('RegisterRespondent', registered.data)).then([registered]);
  });
  it('is erased once, under AVG art. 17; erasing again changes nothing', () => {
    spec.given([registered]).when(command('EraseRespondent', {})).then([{ type: 'RespondentErased', data: { respondentId: 'r-1', legalBasis: 'AVG art. 17' } }]);
    spec.given([registered, { type: 'RespondentErased', data: { respondentId: 'r-1', legalBasis: 'AVG art. 17' } }]).when(command('EraseRespondent', {})).then([]);
  });
  it('takes no new personal data after erasure', () => {
    spec.given([registered, { type: 'RespondentErased', data: { respondentId: 'r-1', legalBasis: 'AVG art. 17' } }]).when(command('ChangeRespondentPersonalData', { personal: sealed })).thenThrows(RuleBroken, /was erased/);
  });
  it('is invited to an assessment per layer, but not once erased', () => {
    const invitation = { invitationId: 'inv-1', assessmentId: 'as-1', layer: 'tactical', expiresAt: '2026-12-28T12:00:00.000Z' };
    spec.given([registered]).when(command('InviteRespondent', invitation)).then([{ type: 'RespondentInvited', data: invitation as never }]);
    spec.given([registered, { type: 'RespondentErased', data: { respondentId: 'r-1', legalBasis: 'AVG art. 17' } }]).when(command('InviteRespondent', invitation)).thenThrows(RuleBroken, /cannot be invited/);
  });
  it('knows no respondent that was never registered', () => {
    spec.given([]).when(command('EraseRespondent', {})).thenThrows(NotFound);
  });
});
