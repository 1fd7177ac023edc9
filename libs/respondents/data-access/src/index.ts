export { Respondents, type RespondentsDependencies } from './respondents';
export type { RespondentView } from './respondents.context';
export type { InvitationSigner, InvitationView } from './invite-respondent';
export type { RevokedInvitationView } from './revoke-invitation';
export type { InvitationVerdict } from './check-invitation';
export { PersonalDataVault, DataKeyUnavailable } from './personal-data-vault';
export { respondentsProjection } from './respondents.projection';
