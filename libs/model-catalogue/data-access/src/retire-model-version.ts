import type { CommandMetadata } from '@maatlat/shared/domain';
import { runModelVersionCommand, type ModelCatalogueContext, type ModelVersionView } from './model-catalogue.context';

export async function retireModelVersion(context: ModelCatalogueContext, key: string, version: string, metadata: CommandMetadata, expectedVersion?: number): Promise<ModelVersionView> {
  return runModelVersionCommand(context, key, version, { type: 'RetireModelVersion', data: {}, metadata }, expectedVersion);
}
