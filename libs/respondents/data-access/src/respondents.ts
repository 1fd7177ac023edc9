import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { FoldedStreams, type PostgresEventStore } from '@maatlat/shared/event-store';
import { respondentDecider, type InvitationClaim, type PersonalData } from '@maatlat/respondents/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { refusalOfInvitation, verdictOnInvitation } from './check-invitation';
import { eraseRespondent } from './erase-respondent';
import { exportPersonalData } from './export-personal-data';
import { inviteRespondent, type InvitationLayer, type InvitationSigner } from './invite-respondent';
import type { PersonalDataVault } from './personal-data-vault';
import { listRespondents, readRespondent } from './read-respondent';
import { registerRespondent } from './register-respondent';
import type { RespondentsContext } from './respondents.context';
import { revokeInvitation } from './revoke-invitation';

/** What respondents check their commands against: the organisations and assessments they name. */
export interface RespondentsDependencies {
  organisations: Organisations;
  assessments: AssessmentRepository;
}

/** Respondents' streams remembered per process for invitation checks (a state is a few invitations). */
const INVITATION_STATES_REMEMBERED = 20_000;

/**
 * Respondents: registration with sealed personal data, erasure (AVG art. 17), access export (art. 15),
 * invitations. One file a use case (register-respondent.ts, erase-respondent.ts, …); each method is
 * only the door to its use case.
 */
export class Respondents {
  private readonly context: RespondentsContext;

  constructor(
    db: Kysely<DB>,
    store: PostgresEventStore,
    vault: PersonalDataVault,
    dependencies: RespondentsDependencies = { organisations: new Organisations(db, store), assessments: new AssessmentRepository(db, store) },
  ) {
    this.context = { db, store, vault, organisations: dependencies.organisations, assessments: dependencies.assessments, invitationStates: new FoldedStreams(store, respondentDecider, INVITATION_STATES_REMEMBERED) };
  }

  register = (organisationId: string, personal: PersonalData, metadata: CommandMetadata) => registerRespondent(this.context, organisationId, personal, metadata);
  get = (organisationId: string, respondentId: string) => readRespondent(this.context, organisationId, respondentId);
  list = (organisationId: string) => listRespondents(this.context, organisationId);
  invite = (
    organisationId: string,
    respondentId: string,
    input: { assessmentId: string; layer: InvitationLayer },
    signer: InvitationSigner,
    metadata: CommandMetadata,
    expectedRevision?: number,
  ) => inviteRespondent(this.context, organisationId, respondentId, input, signer, metadata, expectedRevision);
  revokeInvitation = (organisationId: string, respondentId: string, invitationId: string, metadata: CommandMetadata, expectedRevision?: number) =>
    revokeInvitation(this.context, organisationId, respondentId, invitationId, metadata, expectedRevision);
  invitationRefusal = (claim: InvitationClaim) => refusalOfInvitation(this.context, claim);
  invitationVerdict = (claim: InvitationClaim, options?: { fresh?: boolean }) => verdictOnInvitation(this.context, claim, options);
  erase = (organisationId: string, respondentId: string, metadata: CommandMetadata, expectedRevision?: number) => eraseRespondent(this.context, organisationId, respondentId, metadata, expectedRevision);
  accessExport = (organisationId: string, respondentId: string) => exportPersonalData(this.context, organisationId, respondentId);
}
