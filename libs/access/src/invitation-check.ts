/**
 * What the access guard asks of every invitation token that verifies: is it still honoured? The
 * respondents feature provides it under INVITATION_CHECK (it knows erasures and revocations); the
 * guard finds it wherever it is provided, and without one refuses invitation tokens.
 */
export interface InvitationCheck {
  /** Why the invitation is refused ("the respondent has been erased", …), or undefined when it is honoured. */
  refusalOf(claim: { invitationId: string; respondentId: string; organisationId: string; assessmentId: string; layer: string }): Promise<string | undefined>;
}

export const INVITATION_CHECK = Symbol('INVITATION_CHECK');
