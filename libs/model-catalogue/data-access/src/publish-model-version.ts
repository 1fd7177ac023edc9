import type { CommandMetadata } from '@maatlat/shared/domain';
import { runModelVersionCommand, type ModelCatalogueContext, type ModelVersionView } from './model-catalogue.context';
import { latestPublishedBefore } from './read-model-version';

export async function publishModelVersion(
  context: ModelCatalogueContext,
  key: string,
  version: string,
  input: { legalBasis: string; effectiveFrom: string },
  metadata: CommandMetadata,
  expectedVersion?: number,
): Promise<ModelVersionView> {
  const predecessor = await latestPublishedBefore(context, key, version);
  return runModelVersionCommand(context, key, version, { type: 'PublishModelVersion', data: { ...input, predecessor: predecessor?.document ?? null }, metadata }, expectedVersion);
}
