export { assessmentsFeature, type AssessmentsServices } from './assessments.feature';
