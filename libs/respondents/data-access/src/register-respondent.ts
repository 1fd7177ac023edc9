import { randomBytes } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { handleCommand, keyedUuid } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type PersonalData } from '@maatlat/respondents/domain';
import { readRespondent } from './read-respondent';
import type { RespondentsContext, RespondentView } from './respondents.context';

/**
 * A pseudonym that says nothing about the person: `r-` and 16 hex digits, random, or derived from
 * the caller and their idempotency key, so that a retried registration finds the first.
 */
function pseudonymFor(metadata: CommandMetadata): string {
  if (!metadata.commandId) return `r-${randomBytes(8).toString('hex')}`;
  return `r-${keyedUuid('respondent', metadata.actor, metadata.commandId).replace(/-/g, '').slice(0, 16)}`;
}

/** Registers a respondent of an organisation that exists (404 otherwise), their personal data sealed. */
export async function registerRespondent(context: RespondentsContext, organisationId: string, personal: PersonalData, metadata: CommandMetadata): Promise<RespondentView> {
  await context.organisations.get(organisationId);
  const respondentId = pseudonymFor(metadata);
  // Retried: the first registration stands, and no key is made again (not even for one erased since).
  if (metadata.commandId && (await context.store.streamVersion(respondentStreamId(respondentId))) > 0) return readRespondent(context, organisationId, respondentId);
  await context.vault.createKey(respondentId);
  const sealed = await context.vault.seal(respondentId, personal);
  const outcome = await handleCommand(context.store, respondentDecider, respondentStreamId(respondentId), {
    type: 'RegisterRespondent',
    data: { respondentId, organisationId, personal: sealed },
    metadata: { ...metadata, tenantId: organisationId },
  });
  return { respondentId, organisationId, status: 'active', personal, revision: outcome.result?.nextExpectedVersion ?? 1 };
}
