export { respondentsFeature, type RespondentsServices } from './respondents.feature';
