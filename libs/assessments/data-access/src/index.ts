export { Assessments, type ScoreDifference } from './assessments';
export { Recalculations, assessmentsProjection, recalculationTrigger, recalculationStreamId, parseRecalculationStreamId } from './recalculations';
