export { Assessments, type ScoreDifference } from './assessments';
