import { Conflict, NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import type { RespondentCommand } from './respondent.commands';
import { invitationRefusal, respondentDecider } from './respondent.decider';
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
  it('revokes an invitation once; revoking again changes nothing; an unknown one is not found', () => {
    const invited: RespondentEvent = { type: 'RespondentInvited', data: { invitationId: 'inv-1', assessmentId: 'as-1', layer: 'tactical', expiresAt: '2026-12-28T12:00:00.000Z' } };
    const revoked: RespondentEvent = { type: 'InvitationRevoked', data: { invitationId: 'inv-1' } };
    spec.given([registered, invited]).when(command('RevokeInvitation', { invitationId: 'inv-1' })).then([revoked]);
    spec.given([registered, invited, revoked]).when(command('RevokeInvitation', { invitationId: 'inv-1' })).then([]);
    spec.given([registered, invited]).when(command('RevokeInvitation', { invitationId: 'inv-2' })).thenThrows(NotFound, /invitation/);
    spec.given([registered, invited]).when(command('InviteRespondent', invited.data)).thenThrows(Conflict, /already exists/);
  });

  describe('an invitation token, validly signed, is honoured only as the stream recorded it', () => {
    const invited: RespondentEvent = { type: 'RespondentInvited', data: { invitationId: 'inv-1', assessmentId: 'as-1', layer: 'tactical', expiresAt: '2026-12-28T12:00:00.000Z' } };
    const claim = { invitationId: 'inv-1', respondentId: 'r-1', organisationId: 'org-1', assessmentId: 'as-1', layer: 'tactical' };
    const stateOf = (events: RespondentEvent[]) => events.reduce(respondentDecider.evolve, respondentDecider.initialState());

    it.each<[string, RespondentEvent[], Partial<typeof claim>, string | undefined]>([
      ['an invitation on record', [registered, invited], {}, undefined],
      ['a revoked invitation', [registered, invited, { type: 'InvitationRevoked', data: { invitationId: 'inv-1' } }], {}, 'the invitation has been revoked'],
      ['an erased respondent', [registered, invited, { type: 'RespondentErased', data: { respondentId: 'r-1', legalBasis: 'AVG art. 17' } }], {}, 'the respondent has been erased'],
      ['an invitation never recorded', [registered], {}, 'the invitation is not known'],
      ['a respondent never registered', [], {}, 'the invitation is not known'],
      ['another organisation', [registered, invited], { organisationId: 'org-2' }, 'the invitation is not known'],
      ['another assessment', [registered, invited], { assessmentId: 'as-2' }, 'the invitation is not known'],
      ['another layer', [registered, invited], { layer: 'strategic' }, 'the invitation is not known'],
    ])('%s', (_, events, change, refusal) => {
      expect(invitationRefusal(stateOf(events), { ...claim, ...change })).toBe(refusal);
    });
  });

  it('knows no respondent that was never registered', () => {
    spec.given([]).when(command('EraseRespondent', {})).thenThrows(NotFound);
  });
});
