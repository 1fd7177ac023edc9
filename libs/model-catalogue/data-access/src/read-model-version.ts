import { NotFound } from '@maatlat/shared/domain';
import { foldEvents } from '@maatlat/shared/event-store';
import { compareVersions, diffModels, modelVersionDecider, modelVersionStreamId, parseModelVersionStreamId, type ModelDiff, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import { modelVersionViewOf, type ModelCatalogueContext, type ModelVersionView } from './model-catalogue.context';

/**
 * One version, as its stream says now (so a write is visible at once). A published version's
 * view is cached with the stream version it was read at: the content can never change and only a
 * retirement can follow, so one primary-key look-up tells whether the cached view still holds.
 */
export async function readModelVersion(context: ModelCatalogueContext, key: string, version: string): Promise<ModelVersionView> {
  const streamId = modelVersionStreamId(key, version);
  const cached = context.publishedCache.get(streamId);
  if (cached && cached.revision === (await context.store.streamVersion(streamId))) return cached;
  const events = await context.store.readStream<ModelVersionEvent>(streamId);
  const state = foldEvents(modelVersionDecider, events);
  if (state.status === 'none') throw new NotFound('model-version', `${key}@${version}`);
  const view = modelVersionViewOf(state, events[events.length - 1].version);
  if (state.status !== 'draft') context.publishedCache.set(streamId, view);
  return view;
}

export async function diffModelVersions(context: ModelCatalogueContext, key: string, from: string, to: string): Promise<ModelDiff> {
  const [a, b] = await Promise.all([readModelVersion(context, key, from), readModelVersion(context, key, to)]);
  return diffModels(a.document, b.document);
}

/**
 * The newest published (or retired) version before `version`: a new version's predecessor.
 * Read from the streams themselves, not the read model, so a version published a moment ago
 * already counts.
 */
export async function latestPublishedBefore(context: ModelCatalogueContext, key: string, version: string): Promise<ModelVersionView | undefined> {
  const prefix = modelVersionStreamId(key, '');
  const streams = await context.db
    .selectFrom('streams')
    .select('stream_id')
    .where('category', '=', 'modelversion')
    // Keys and versions hold no LIKE wildcards ([a-z0-9-] and digits with a dot).
    .where('stream_id', 'like', `${prefix}%`)
    .execute();
  const earlier = streams
    .map((s) => parseModelVersionStreamId(s.stream_id).version)
    .filter((v) => /^\d{4}\.\d+$/.test(v) && compareVersions(v, version) < 0)
    .sort(compareVersions)
    .reverse();
  for (const candidate of earlier) {
    const view = await readModelVersion(context, key, candidate);
    if (view.status !== 'draft') return view;
  }
  return undefined;
}
