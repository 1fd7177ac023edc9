import { ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import type { Crosswalk } from '@maatlat/model-catalogue/domain';
import { runModelVersionCommand, type ModelCatalogueContext, type ModelVersionView } from './model-catalogue.context';
import { latestPublishedBefore } from './read-model-version';

export async function setModelCrosswalk(context: ModelCatalogueContext, key: string, version: string, crosswalk: Crosswalk, metadata: CommandMetadata, expectedVersion?: number): Promise<ModelVersionView> {
  const predecessor = await latestPublishedBefore(context, key, version);
  if (!predecessor) {
    throw new ValidationFailed([{ field: 'crosswalk', problem: `${key} has no published version before ${version}; the first version needs no crosswalk` }]);
  }
  return runModelVersionCommand(context, key, version, { type: 'SetModelCrosswalk', data: { crosswalk, predecessor: predecessor.document }, metadata }, expectedVersion);
}
