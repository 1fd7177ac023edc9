export * from './model-document';
export { validateModelDocument, validateCrosswalk, MODEL_VERSION_JSON_SCHEMA, CROSSWALK_JSON_SCHEMA, type ModelProblem } from './validate-model';
export { diffModels, type ModelDiff, type ItemDiff, type ChangedItem, type FieldChange } from './model-diff';
export { modelVersionDecider, documentHash, compareVersions, type ModelVersionState } from './model-version.decider';
export * from './model-version.events';
export * from './model-version.commands';
export { SHIPPED_MODELS, SHIPPED_CROSSWALKS } from './shipped-models';
