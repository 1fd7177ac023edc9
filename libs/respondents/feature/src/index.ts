export { RespondentsModule } from './respondents.module';
