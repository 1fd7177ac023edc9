import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { FoldedStreams, foldEvents, handleCommand, keyedUuid, type PostgresEventStore, type RecordedEvent } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type InvitationClaim, type PersonalData, type RespondentEvent, type RespondentState, type SealedPersonalData } from '@maatlat/respondents/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { refusalOfInvitation, verdictOnInvitation, type InvitationVerdict } from './check-invitation';
import { inviteRespondent, type InvitationLayer, type InvitationSigner, type InvitationView } from './invite-respondent';
import { PersonalDataVault } from './personal-data-vault';
import { revokeInvitation, type RevokedInvitationView } from './revoke-invitation';

export interface RespondentView {
  respondentId: string;
  organisationId: string;
  status: 'active' | 'erased';
  /** Null once erased: the key is gone, the data unreadable. */
  personal: PersonalData | null;
  /** The stream version: the ETag a client sends back as If-Match. */
  revision: number;
}

/**
 * A pseudonym that says nothing about the person: `r-` and 16 hex digits, random, or derived from
 * the caller and their idempotency key, so that a retried registration finds the first.
 */
function pseudonymFor(metadata: CommandMetadata): string {
  if (!metadata.commandId) return `r-${randomBytes(8).toString('hex')}`;
  return `r-${keyedUuid('respondent', metadata.actor, metadata.commandId).replace(/-/g, '').slice(0, 16)}`;
}

/** What respondents check their commands against: the organisations and assessments they name. */
export interface RespondentsDependencies {
  organisations: Organisations;
  assessments: AssessmentRepository;
}

/** Respondents' streams remembered per process for invitation checks (a state is a few invitations). */
const INVITATION_STATES_REMEMBERED = 20_000;

/** Respondents: registration with sealed personal data, erasure (AVG art. 17), access export (art. 15). */
export class Respondents {
  /** Respondents' streams as this process last folded them, for `invitationVerdict`. */
  private readonly invitationStates: FoldedStreams<RespondentState, RespondentEvent>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
    private readonly vault: PersonalDataVault,
    private readonly dependencies: RespondentsDependencies = { organisations: new Organisations(db, store), assessments: new AssessmentRepository(db, store) },
  ) {
    this.invitationStates = new FoldedStreams(store, respondentDecider, INVITATION_STATES_REMEMBERED);
  }

  /** Registers a respondent of an organisation that exists (404 otherwise), their personal data sealed. */
  async register(organisationId: string, personal: PersonalData, metadata: CommandMetadata): Promise<RespondentView> {
    await this.dependencies.organisations.get(organisationId);
    const respondentId = pseudonymFor(metadata);
    // Retried: the first registration stands, and no key is made again (not even for one erased since).
    if (metadata.commandId && (await this.store.streamVersion(respondentStreamId(respondentId))) > 0) return this.get(organisationId, respondentId);
    await this.vault.createKey(respondentId);
    const sealed = await this.vault.seal(respondentId, personal);
    const outcome = await handleCommand(this.store, respondentDecider, respondentStreamId(respondentId), {
      type: 'RegisterRespondent',
      data: { respondentId, organisationId, personal: sealed },
      metadata: { ...metadata, tenantId: organisationId },
    });
    return { respondentId, organisationId, status: 'active', personal, revision: outcome.result?.nextExpectedVersion ?? 1 };
  }

  /** One respondent, decrypted for those entitled to see it. */
  async get(organisationId: string, respondentId: string): Promise<RespondentView> {
    const events = await this.store.readStream<RespondentEvent>(respondentStreamId(respondentId));
    const state = foldEvents(respondentDecider, events);
    if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
    const personal = state.status === 'erased' ? null : await this.latestPersonal(respondentId, events);
    return { respondentId, organisationId, status: state.status, personal, revision: events[events.length - 1].version };
  }

  async list(organisationId: string): Promise<RespondentView[]> {
    const rows = await this.db.selectFrom('respondents').select('respondent_id').where('organisation_id', '=', organisationId).orderBy('registered_at').execute();
    return Promise.all(rows.map((r) => this.get(organisationId, r.respondent_id)));
  }

  /** Invites the respondent to an assessment at a layer (invite-respondent.ts); returns the token. */
  invite(
    organisationId: string,
    respondentId: string,
    input: { assessmentId: string; layer: InvitationLayer },
    signer: InvitationSigner,
    metadata: CommandMetadata,
    expectedRevision?: number,
  ): Promise<InvitationView> {
    return inviteRespondent({ store: this.store, assessments: this.dependencies.assessments }, organisationId, respondentId, input, signer, metadata, expectedRevision);
  }

  /** Revokes an invitation (revoke-invitation.ts): its token is refused from then on. */
  revokeInvitation(organisationId: string, respondentId: string, invitationId: string, metadata: CommandMetadata, expectedRevision?: number): Promise<RevokedInvitationView> {
    return revokeInvitation(this.store, organisationId, respondentId, invitationId, metadata, expectedRevision);
  }

  /** Why an invitation token is refused, or undefined when it is honoured (check-invitation.ts). */
  invitationRefusal(claim: InvitationClaim): Promise<string | undefined> {
    return refusalOfInvitation(this.store, claim);
  }

  /**
   * The same check on the respondent's stream as this process remembers it, naming the version it
   * was honoured at, which the caller's write must find unchanged (check-invitation.ts).
   */
  invitationVerdict(claim: InvitationClaim, options: { fresh?: boolean } = {}): Promise<InvitationVerdict> {
    return verdictOnInvitation(this.invitationStates, claim, options);
  }

  /**
   * Erasure (AVG art. 17): first recorded, then the key destroyed. Should anything fail in between,
   * the erasure is on record and the respondent shown erased, and the key is destroyed by what
   * comes next: a retried erasure (of an erased respondent, whatever revision it names) or the
   * respondents projection. The other order could lose the data with no event to say so.
   */
  async erase(organisationId: string, respondentId: string, metadata: CommandMetadata, expectedRevision?: number): Promise<RespondentView> {
    const streamId = respondentStreamId(respondentId);
    const events = await this.store.readStream<RespondentEvent>(streamId);
    const state = foldEvents(respondentDecider, events);
    if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
    let revision = events[events.length - 1].version;
    if (state.status === 'active') {
      const outcome = await handleCommand(
        this.store,
        respondentDecider,
        streamId,
        { type: 'EraseRespondent', data: {}, metadata: { ...metadata, tenantId: organisationId, reason: metadata.reason ?? 'erasure request (AVG art. 17)' } },
        { expectedVersion: expectedRevision, history: events },
      );
      revision = outcome.result?.nextExpectedVersion ?? (await this.store.streamVersion(streamId));
    }
    await this.vault.destroyKey(respondentId);
    return { respondentId, organisationId, status: 'erased', personal: null, revision };
  }

  /** Everything held about the person, decrypted, with the events that recorded it (AVG art. 15). */
  async accessExport(organisationId: string, respondentId: string) {
    const view = await this.get(organisationId, respondentId);
    const events = await this.store.readStream<RespondentEvent>(respondentStreamId(respondentId));
    // Once erased nothing is opened, even while a key that outlived the erasure still exists.
    const open = (sealed: SealedPersonalData) => (view.status === 'erased' ? null : this.vault.open(respondentId, sealed));
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
          personal: e.type === 'RespondentRegistered' || e.type === 'RespondentPersonalDataChanged' ? await open(e.data.personal) : undefined,
        })),
      ),
    };
  }

  private async latestPersonal(respondentId: string, events: readonly RecordedEvent<RespondentEvent>[]): Promise<PersonalData | null> {
    for (let i = events.length - 1; i >= 0; i--) {
      const event = events[i];
      if (event.type === 'RespondentRegistered' || event.type === 'RespondentPersonalDataChanged') return this.vault.open(respondentId, event.data.personal);
    }
    return null;
  }
}
