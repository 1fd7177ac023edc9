export { AssessmentsModule } from './assessments.module';
