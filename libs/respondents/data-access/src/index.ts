export { Respondents, type RespondentView } from './respondents';
export { PersonalDataVault } from './personal-data-vault';
export { respondentsProjection } from './respondents.projection';
