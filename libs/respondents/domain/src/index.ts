export * from './respondent.events';
export * from './respondent.commands';
export { respondentDecider, type RespondentState } from './respondent.decider';
