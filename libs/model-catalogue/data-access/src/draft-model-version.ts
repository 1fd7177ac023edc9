import { ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { parseModelRef, type ModelDocument } from '@maatlat/model-catalogue/domain';
import { runModelVersionCommand, type ModelCatalogueContext, type ModelVersionView } from './model-catalogue.context';
import { readModelVersion } from './read-model-version';

export async function draftModelVersion(context: ModelCatalogueContext, input: { document: ModelDocument } | { copyFrom: string; version: string }, metadata: CommandMetadata): Promise<ModelVersionView> {
  let document: ModelDocument;
  let source: { kind: 'document' } | { kind: 'copy'; from: string };
  if ('copyFrom' in input) {
    const ref = parseModelRef(input.copyFrom);
    if (!ref) throw new ValidationFailed([{ field: 'copyFrom', problem: 'must be written key@version, e.g. datagedreven-overheid@2026.1' }]);
    const original = await readModelVersion(context, ref.key, ref.version);
    if (original.status === 'draft') throw new ValidationFailed([{ field: 'copyFrom', problem: `${input.copyFrom} is a draft; copy a published version` }]);
    document = { ...original.document, version: input.version };
    source = { kind: 'copy', from: input.copyFrom };
  } else {
    document = input.document;
    source = { kind: 'document' };
  }
  const key = typeof document?.key === 'string' ? document.key : '';
  const version = typeof document?.version === 'string' ? document.version : '';
  return runModelVersionCommand(context, key, version, { type: 'DraftModelVersion', data: { document, source }, metadata });
}
