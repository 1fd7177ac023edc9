import type { CommandMetadata } from '@maatlat/shared/domain';
import type { ModelDocument } from '@maatlat/model-catalogue/domain';
import { runModelVersionCommand, type ModelCatalogueContext, type ModelVersionView } from './model-catalogue.context';

export async function reviseModelDraft(context: ModelCatalogueContext, key: string, version: string, document: ModelDocument, metadata: CommandMetadata, expectedVersion?: number): Promise<ModelVersionView> {
  return runModelVersionCommand(context, key, version, { type: 'ReviseModelDraft', data: { document }, metadata }, expectedVersion);
}
