import { Conflict, RuleBroken } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import { publicationDecider, type PublicationEvent } from './publication';
import type { PublicationCommand } from './publication.commands';

const metadata = { now: new Date('2026-12-03T13:00:00Z'), actor: 'coordinator-cor', correlationId: 'c-1' };
const ids = { assessmentId: 'a-1', organisationId: 'o-1' };
const publish = (scored = true): PublicationCommand => ({ type: 'PublishResults', data: { ...ids, scored }, metadata });
const withdraw: PublicationCommand = { type: 'WithdrawResults', data: ids, metadata };
const published: PublicationEvent = { type: 'AssessmentResultsPublished', data: ids };
const withdrawn: PublicationEvent = { type: 'AssessmentResultsWithdrawn', data: ids };

describe('publishing an assessment\'s results (Woo)', () => {
  const spec = deciderSpec(publicationDecider);
  it('publishes scored results', () => {
    spec.given([]).when(publish()).then([published]);
  });
  it('refuses results without a score', () => {
    spec.given([]).when(publish(false)).thenThrows(RuleBroken, /no score yet/);
  });
  it('refuses to publish twice', () => {
    spec.given([published]).when(publish()).thenThrows(Conflict, /published already/);
  });
  it('withdraws published results', () => {
    spec.given([published]).when(withdraw).then([withdrawn]);
  });
  it('refuses to withdraw what is not published', () => {
    spec.given([published, withdrawn]).when(withdraw).thenThrows(Conflict, /not published/);
  });
  it('publishes again after a withdrawal', () => {
    spec.given([published, withdrawn]).when(publish()).then([published]);
  });
});
