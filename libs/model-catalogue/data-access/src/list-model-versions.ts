import { compareVersions } from '@maatlat/model-catalogue/domain';
import type { ModelCatalogueContext } from './model-catalogue.context';

export interface ModelVersionSummary {
  key: string;
  version: string;
  status: string;
  title: unknown;
  contentHash: string | null;
  legalBasis: string | null;
  effectiveFrom: string | null;
  predecessor: string | null;
  factorCount: number;
  questionCount: number;
  publishedAt: Date | null;
  publishedBy: string | null;
}

/** Every version of every model (or of one), newest first, from the catalogue's read model. */
export async function listModelVersions(context: ModelCatalogueContext, key?: string): Promise<ModelVersionSummary[]> {
  const rows = await context.db
    .selectFrom('model_versions')
    .selectAll()
    .$if(key !== undefined, (q) => q.where('key', '=', key!))
    .orderBy('key')
    .execute();
  return rows
    .sort((a, b) => (a.key === b.key ? compareVersions(b.version, a.version) : 0))
    .map((r) => ({
      key: r.key,
      version: r.version,
      status: r.status,
      title: r.title,
      contentHash: r.content_hash,
      legalBasis: r.legal_basis,
      effectiveFrom: r.effective_from,
      predecessor: r.predecessor,
      factorCount: r.factor_count,
      questionCount: r.question_count,
      publishedAt: r.published_at,
      publishedBy: r.published_by,
    }));
}
