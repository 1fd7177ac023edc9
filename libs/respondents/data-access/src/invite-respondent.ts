import { Forbidden, NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand, uuidv7, type PostgresEventStore } from '@maatlat/shared/event-store';
import type { AssessmentRepository } from '@maatlat/assessments/data-access';
import { respondentDecider, respondentStreamId, type RespondentEvent } from '@maatlat/respondents/domain';

export type InvitationLayer = 'strategic' | 'tactical' | 'operational';

/** Signs an invitation token (the platform's invitation secret stays with the caller). */
export type InvitationSigner = (invitation: { invitationId: string; respondentId: string; organisationId: string; assessmentId: string; layer: string }) => Promise<{ token: string; expiresAt: Date }>;

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
  context: { store: PostgresEventStore; assessments: AssessmentRepository },
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

  const invitationId = uuidv7(metadata.now.getTime());
  const { token, expiresAt } = await signer({ invitationId, respondentId, organisationId, ...input });
  await handleCommand(
    context.store,
    respondentDecider,
    streamId,
    { type: 'InviteRespondent', data: { invitationId, ...input, expiresAt: expiresAt.toISOString() }, metadata: { ...metadata, tenantId: organisationId } },
    { expectedVersion: expectedRevision, history: events },
  );
  return { invitationId, token, expiresAt: expiresAt.toISOString() };
}
