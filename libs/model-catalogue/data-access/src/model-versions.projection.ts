import type { Projection } from '@maatlat/shared/event-store';
import { parseModelVersionStreamId, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';

/** The catalogue's list of versions: status, hash, legal basis and who did what when. */
export const modelVersionsProjection: Projection<ModelVersionEvent> = {
  name: 'model_versions',
  tables: ['model_versions'],
  eventTypes: ['ModelVersionDrafted', 'ModelDraftRevised', 'ModelCrosswalkSet', 'ModelVersionPublished', 'ModelVersionRetired'],
  async apply(trx, events) {
    for (const event of events) {
      const { key, version } = parseModelVersionStreamId(event.streamId);
      const at = event.recordedAt;
      const by = event.metadata.actor;
      switch (event.type) {
        case 'ModelVersionDrafted':
        case 'ModelDraftRevised': {
          const document = event.data.document;
          const counts = {
            title: JSON.stringify(document.title),
            factor_count: document.factors.length,
            question_count: document.factors.reduce((n, f) => n + f.questions.length, 0),
            updated_at: at,
          };
          if (event.type === 'ModelVersionDrafted') {
            await trx.insertInto('model_versions').values({ key, version, status: 'draft', drafted_at: at, drafted_by: by, ...counts }).execute();
          } else {
            await trx.updateTable('model_versions').set(counts).where('key', '=', key).where('version', '=', version).execute();
          }
          break;
        }
        case 'ModelCrosswalkSet':
          await trx.updateTable('model_versions').set({ updated_at: at }).where('key', '=', key).where('version', '=', version).execute();
          break;
        case 'ModelVersionPublished':
          await trx
            .updateTable('model_versions')
            .set({
              status: 'published',
              content_hash: event.data.contentHash,
              legal_basis: event.data.legalBasis,
              effective_from: event.data.effectiveFrom,
              predecessor: event.data.predecessor,
              published_at: at,
              published_by: by,
              updated_at: at,
            })
            .where('key', '=', key)
            .where('version', '=', version)
            .execute();
          break;
        case 'ModelVersionRetired':
          await trx
            .updateTable('model_versions')
            .set({ status: 'retired', retired_at: at, retired_by: by, updated_at: at })
            .where('key', '=', key)
            .where('version', '=', version)
            .execute();
          break;
      }
    }
  },
  async reset(trx) {
    await trx.deleteFrom('model_versions').execute();
  },
};
