import { Forbidden, NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand, newEntityId } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type RespondentEvent } from '@maatlat/respondents/domain';
import type { RespondentsContext } from './respondents.context';

export type InvitationLayer = 'strategic' | 'tactical' | 'operational';

/**
 * Signs an invitation token issued at a moment (the platform's invitation secret stays with the
 * caller). The same invitation and moment must give the same token: a retried invitation signs again.
 */
export type InvitationSigner = (
  invitation: { invitationId: string; respondentId: string; organisationId: string; assessmentId: string; layer: string },
  issuedAt: Date,
) => Promise<{ token: string; expiresAt: Date }>;

export interface InvitationView {
  invitationId: string;
  token: string;
  expiresAt: string;
}

/**
 * Invites the respondent to an assessment at a layer: records the invitation and returns a token
 * that reaches that assessment only. The token itself is not stored. What the invitation names is
 * checked first: the respondent is one of the organisation's, and the assessment exists, is the
 * organisation's own and asks that layer.
 */
export async function inviteRespondent(
  context: RespondentsContext,
  organisationId: string,
  respondentId: string,
  input: { assessmentId: string; layer: InvitationLayer },
  signer: InvitationSigner,
  metadata: CommandMetadata,
  expectedRevision?: number,
): Promise<InvitationView> {
  const streamId = respondentStreamId(respondentId);
  const events = await context.store.readStream<RespondentEvent>(streamId);
  const state = foldEvents(respondentDecider, events);
  if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
  const assessment = await context.assessments.opened(input.assessmentId);
  if (!assessment) throw new NotFound('assessment', input.assessmentId);
  if (assessment.organisationId !== organisationId) throw new Forbidden("the assessment is not one of this organisation's");
  if (!assessment.layers.includes(input.layer)) throw new RuleBroken('invitation.layer-not-assessed', `the assessment asks no ${input.layer} layer`, { layers: assessment.layers });

  const invitationId = newEntityId('invitation', metadata);
  const recorded = state.invitations[invitationId];
  if (recorded) {
    // Retried with the same idempotency key: the token of the first invitation, signed again (the
    // token is never stored, and signing it again with the same claims gives the same token).
    const issuedAt = new Date(recorded.issuedAt ?? metadata.now);
    const { token } = await signer({ invitationId, respondentId, organisationId, assessmentId: recorded.assessmentId, layer: recorded.layer }, issuedAt);
    return { invitationId, token, expiresAt: recorded.expiresAt };
  }
  const issuedAt = new Date(Math.floor(metadata.now.getTime() / 1000) * 1000);
  const { token, expiresAt } = await signer({ invitationId, respondentId, organisationId, ...input }, issuedAt);
  await handleCommand(
    context.store,
    respondentDecider,
    streamId,
    {
      type: 'InviteRespondent',
      data: { invitationId, ...input, expiresAt: expiresAt.toISOString(), issuedAt: issuedAt.toISOString() },
      metadata: { ...metadata, tenantId: organisationId },
    },
    { expectedVersion: expectedRevision, history: events },
  );
  return { invitationId, token, expiresAt: expiresAt.toISOString() };
}
