export * from './respondent.events';
export { respondentDecider, type RespondentCommand, type RespondentState } from './respondent.decider';
