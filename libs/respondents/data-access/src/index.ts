export { Respondents, type RespondentView } from './respondents';
export type { RevokedInvitationView } from './revoke-invitation';
export { PersonalDataVault } from './personal-data-vault';
export { respondentsProjection } from './respondents.projection';
