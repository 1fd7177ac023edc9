import { compareVersions, parseModelRef } from '@maatlat/model-catalogue/domain';
import type { CrosswalkLink } from '@maatlat/insights/domain';
import type { InsightsContext } from './insights.context';

/**
 * The published versions of a model, oldest first, and the crosswalks between them. Drafts do not
 * count: a trend is drawn on what has been published.
 */
export async function publishedModel(context: InsightsContext, key: string): Promise<{ versions: string[]; links: CrosswalkLink[] }> {
  const versions = (await context.catalogue.list(key)).filter((v) => v.status !== 'draft').map((v) => v.version).sort(compareVersions);
  const links: CrosswalkLink[] = [];
  for (const version of versions) {
    const ref = `${key}@${version}`;
    let link = context.links.get(ref);
    if (!link) {
      const view = await context.catalogue.get(key, version);
      const from = view.crosswalk ? parseModelRef(view.crosswalk.from) : undefined;
      if (!view.crosswalk || !from) continue;
      link = { from: (await context.catalogue.get(from.key, from.version)).document, to: view.document, crosswalk: view.crosswalk };
      context.links.set(ref, link);
    }
    links.push(link);
  }
  return { versions, links };
}
