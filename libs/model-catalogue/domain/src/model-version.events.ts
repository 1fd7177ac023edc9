import { parseStreamId } from '@maatlat/shared/domain';
import type { Crosswalk, ModelDocument } from './model-document';

/** How a draft came to be: written from scratch or uploaded as a file, or copied from a version. */
export type DraftSource = { kind: 'document' } | { kind: 'copy'; from: string };

export type ModelVersionDrafted = {
  type: 'ModelVersionDrafted';
  data: { key: string; version: string; document: ModelDocument; source: DraftSource };
};
export type ModelDraftRevised = { type: 'ModelDraftRevised'; data: { document: ModelDocument } };
export type ModelCrosswalkSet = { type: 'ModelCrosswalkSet'; data: { crosswalk: Crosswalk } };
export type ModelVersionPublished = {
  type: 'ModelVersionPublished';
  data: {
    key: string;
    version: string;
    /** sha256 of the canonical JSON of the published document. */
    contentHash: string;
    legalBasis: string;
    /** The date (YYYY-MM-DD) from which the version applies. */
    effectiveFrom: string;
    /** `key@version` of the version it succeeds, with the crosswalk from it. */
    predecessor: string | null;
    crosswalkHash: string | null;
  };
};
export type ModelVersionRetired = { type: 'ModelVersionRetired'; data: { key: string; version: string } };

export type ModelVersionEvent = ModelVersionDrafted | ModelDraftRevised | ModelCrosswalkSet | ModelVersionPublished | ModelVersionRetired;

/** One stream per model version: `modelversion-datagedreven-overheid@2026.1`. */
export function modelVersionStreamId(key: string, version: string): string {
  return `modelversion-${key}@${version}`;
}

export function parseModelVersionStreamId(streamId: string): { key: string; version: string } {
  const [key, version] = parseStreamId('modelversion', streamId).split('@');
  return { key, version };
}
