export * from './respondent.events';
export * from './respondent.commands';
export { respondentDecider, invitationRefusal, type RespondentState, type RecordedInvitation, type InvitationClaim } from './respondent.decider';
