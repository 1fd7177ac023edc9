export { assessmentsFeature, type AssessmentsServices } from './assessments.feature';
export { Assessments, Recalculations } from './assessments.service';
