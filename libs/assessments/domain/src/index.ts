export * from './scoring';
export * from './assessment.events';
export * from './assessment.commands';
export { assessmentDecider, answeredQuestions, type AssessmentState } from './assessment.decider';
export { answersOf, latestScoreOf, type AnswersCut, type RecordedAssessmentEvent } from './answers-of';
export { mappingOf, mapAnswers } from './crosswalk-mapping';
export * from './recalculation.events';
export * from './recalculation.commands';
export { recalculationDecider, recalculationSource, belongsInRecalculation, type RecalculationState } from './recalculation.decider';
export {
  explainScore,
  scoreDifferences,
  type FactorExplanation,
  type OneFactorExplanation,
  type OverallExplanation,
  type ScoreDifference,
  type ScoreToExplain,
} from './explanation';
export * from './score-events';
export { assertInvitationLayer } from './invitation-layer';
