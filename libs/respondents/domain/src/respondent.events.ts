import { parseStreamId } from '@maatlat/shared/domain';
/**
 * Personal data travels only sealed: encrypted with the person's own data key, which lives apart
 * from the events and is destroyed on erasure (crypto-shredding).
 */
export interface SealedPersonalData {
  /** AES-256-GCM; iv, tag and ciphertext base64. */
  alg: 'A256GCM';
  iv: string;
  tag: string;
  ciphertext: string;
}

export type RespondentRegistered = {
  type: 'RespondentRegistered';
  data: { respondentId: string; organisationId: string; personal: SealedPersonalData };
};
export type RespondentPersonalDataChanged = { type: 'RespondentPersonalDataChanged'; data: { personal: SealedPersonalData } };
export type RespondentErased = { type: 'RespondentErased'; data: { respondentId: string; legalBasis: 'AVG art. 17' } };

export type RespondentInvited = {
  type: 'RespondentInvited';
  /** `issuedAt` (the token's iat; recorded since invitation replays) lets a retried invitation sign the same token again. */
  data: { invitationId: string; assessmentId: string; layer: 'strategic' | 'tactical' | 'operational'; expiresAt: string; issuedAt?: string };
};

/** The invitation's token is refused from now on (its id is the token's `jti`). */
export type InvitationRevoked = { type: 'InvitationRevoked'; data: { invitationId: string } };

export type RespondentEvent = RespondentRegistered | RespondentPersonalDataChanged | RespondentInvited | InvitationRevoked | RespondentErased;

/** The respondent's stream carries only the pseudonym in its name. */
export function respondentStreamId(respondentId: string): string {
  return `respondent-${respondentId}`;
}

export function parseRespondentStreamId(streamId: string): string {
  return parseStreamId('respondent', streamId);
}

export interface PersonalData {
  name: string;
  email: string;
}
