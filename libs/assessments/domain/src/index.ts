export * from './scoring';
export * from './assessment.events';
export { assessmentDecider, answeredQuestions, type AssessmentCommand, type AssessmentState } from './assessment.decider';
export { answersOf, latestScoreOf, type RecordedAssessmentEvent } from './answers-of';
export { mappingOf, mapAnswers } from './crosswalk-mapping';
