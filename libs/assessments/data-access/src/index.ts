export { Assessments, type ScoreDifference } from './assessments';
export { Recalculations, assessmentsProjection, recalculationTrigger, recalculationStreamId } from './recalculations';
export { assessmentServices } from './assessment-services';
