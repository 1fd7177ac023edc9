import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand, uuidv7, type PostgresEventStore } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type PersonalData, type RespondentEvent } from '@maatlat/respondents/domain';
import { PersonalDataVault } from './personal-data-vault';

export interface RespondentView {
  respondentId: string;
  organisationId: string;
  status: 'active' | 'erased';
  /** Null once erased: the key is gone, the data unreadable. */
  personal: PersonalData | null;
}

/** A pseudonym that says nothing about the person: `r-` and 16 random hex digits. */
function newPseudonym(): string {
  return `r-${randomBytes(8).toString('hex')}`;
}

/** Respondents: registration with sealed personal data, erasure (AVG art. 17), access export (art. 15). */
export class Respondents {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
    private readonly vault: PersonalDataVault = new PersonalDataVault(db),
  ) {}

  async register(organisationId: string, personal: PersonalData, metadata: CommandMetadata): Promise<RespondentView> {
    const respondentId = newPseudonym();
    await this.vault.createKey(respondentId);
    const sealed = await this.vault.seal(respondentId, personal);
    await handleCommand(this.store, respondentDecider, respondentStreamId(respondentId), {
      type: 'RegisterRespondent',
      data: { respondentId, organisationId, personal: sealed },
      metadata: { ...metadata, tenantId: organisationId },
    });
    return { respondentId, organisationId, status: 'active', personal };
  }

  /** One respondent, decrypted for those entitled to see it. */
  async get(organisationId: string, respondentId: string): Promise<RespondentView> {
    const events = await this.store.readStream(respondentStreamId(respondentId));
    const state = foldEvents(respondentDecider, events);
    if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
    return { respondentId, organisationId, status: state.status, personal: state.status === 'erased' ? null : await this.latestPersonal(respondentId, events) };
  }

  async list(organisationId: string): Promise<RespondentView[]> {
    const rows = await this.db.selectFrom('respondents').select('respondent_id').where('organisation_id', '=', organisationId).orderBy('registered_at').execute();
    return Promise.all(rows.map((r) => this.get(organisationId, r.respondent_id)));
  }

  /**
   * Invites the respondent to an assessment at a layer: records the invitation and returns a
   * token that reaches that assessment only. The token itself is not stored.
   */
  async invite(
    organisationId: string,
    respondentId: string,
    input: { assessmentId: string; layer: 'strategic' | 'tactical' | 'operational' },
    signer: (invitation: { invitationId: string; respondentId: string; organisationId: string; assessmentId: string; layer: string }) => Promise<{ token: string; expiresAt: Date }>,
    metadata: CommandMetadata,
  ): Promise<{ invitationId: string; token: string; expiresAt: string }> {
    await this.get(organisationId, respondentId);
    const invitationId = uuidv7(metadata.now.getTime());
    const { token, expiresAt } = await signer({ invitationId, respondentId, organisationId, ...input });
    await handleCommand(this.store, respondentDecider, respondentStreamId(respondentId), {
      type: 'InviteRespondent',
      data: { invitationId, ...input, expiresAt: expiresAt.toISOString() },
      metadata: { ...metadata, tenantId: organisationId },
    });
    return { invitationId, token, expiresAt: expiresAt.toISOString() };
  }

  /** Erasure: the key is destroyed first (that is what makes the data unreadable), then it is recorded. */
  async erase(organisationId: string, respondentId: string, metadata: CommandMetadata): Promise<RespondentView> {
    await this.get(organisationId, respondentId);
    await this.vault.destroyKey(respondentId);
    await handleCommand(this.store, respondentDecider, respondentStreamId(respondentId), {
      type: 'EraseRespondent',
      data: {},
      metadata: { ...metadata, tenantId: organisationId, reason: metadata.reason ?? 'erasure request (AVG art. 17)' },
    });
    return { respondentId, organisationId, status: 'erased', personal: null };
  }

  /** Everything held about the person, decrypted, with the events that recorded it (AVG art. 15). */
  async accessExport(organisationId: string, respondentId: string) {
    const view = await this.get(organisationId, respondentId);
    const events = await this.store.readStream(respondentStreamId(respondentId));
    return {
      legalBasis: 'AVG art. 15',
      exportedAt: new Date().toISOString(),
      respondent: view,
      events: await Promise.all(
        events.map(async (e) => ({
          type: e.type,
          version: e.version,
          recordedAt: e.recordedAt.toISOString(),
          actor: e.metadata.actor,
          personal: 'personal' in (e.data as object) ? await this.vault.open(respondentId, (e.data as { personal: never }).personal) : undefined,
        })),
      ),
    };
  }

  private async latestPersonal(respondentId: string, events: { type: string; data: unknown }[]): Promise<PersonalData | null> {
    const latest = [...events].reverse().find((e) => e.type === 'RespondentRegistered' || e.type === 'RespondentPersonalDataChanged') as
      | Extract<RespondentEvent, { type: 'RespondentRegistered' | 'RespondentPersonalDataChanged' }>
      | undefined;
    if (!latest) return null;
    return this.vault.open(respondentId, latest.data.personal);
  }
}
