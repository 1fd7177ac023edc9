import type { CommandMetadata } from '@maatlat/shared/domain';
import type { Crosswalk, ModelDocument } from './model-document';
import type { DraftSource } from './model-version.events';

export type DraftModelVersion = {
  type: 'DraftModelVersion';
  data: { document: ModelDocument; source: DraftSource };
  metadata: CommandMetadata;
};
export type ReviseModelDraft = { type: 'ReviseModelDraft'; data: { document: ModelDocument }; metadata: CommandMetadata };
export type SetModelCrosswalk = {
  type: 'SetModelCrosswalk';
  /** `predecessor`: the published version the crosswalk starts from, loaded by the handler. */
  data: { crosswalk: Crosswalk; predecessor: ModelDocument };
  metadata: CommandMetadata;
};
export type PublishModelVersion = {
  type: 'PublishModelVersion';
  /** `predecessor`: the latest published version of the same model, if any, loaded by the handler. */
  data: { legalBasis: string; effectiveFrom: string; predecessor: ModelDocument | null };
  metadata: CommandMetadata;
};
export type RetireModelVersion = { type: 'RetireModelVersion'; data: Record<string, never>; metadata: CommandMetadata };

export type ModelVersionCommand = DraftModelVersion | ReviseModelDraft | SetModelCrosswalk | PublishModelVersion | RetireModelVersion;
