export {
  AssessmentRepository,
  foldAssessment,
  responseStreamsOf,
  type AssessmentStreams,
  type ChainedAssessmentEvent,
  type ExistingAssessment,
  type OrganisationAssessment,
  type RecordedScore,
  type ScoreEventSummary,
} from './assessment.repository';
export { RecalculationRepository, type StartedRecalculation } from './recalculation.repository';
export { assessmentsProjection } from './assessments.projection';
