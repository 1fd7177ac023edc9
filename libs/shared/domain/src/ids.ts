import { ValidationFailed } from './errors';

/**
 * What an id of an organisation, unit, chain, assessment or recalculation looks like: lowercase
 * letters, digits and dashes (uuids as the platform makes them). Ids also become path segments of
 * materialised unit paths, so '/' and LIKE wildcards are out.
 */
export const ENTITY_ID = /^[0-9a-z-]{1,64}$/;

/**
 * Refuses, with one problem per field, ids that are not entity ids.
 * @example assertIds({ organisationId, unitId })
 */
export function assertIds(ids: Record<string, string>): void {
  const problems = Object.entries(ids)
    .filter(([, value]) => !ENTITY_ID.test(value))
    .map(([field]) => ({ field, problem: 'must be an id of 1 to 64 lowercase letters, digits or dashes' }));
  if (problems.length) throw new ValidationFailed(problems);
}

/**
 * The id inside a stream id of a category: `parseStreamId('assessment', 'assessment-42')` is `42`.
 * Throws on a stream of another category, so a reader never mistakes one aggregate's id for another's.
 */
export function parseStreamId(category: string, streamId: string): string {
  const prefix = `${category}-`;
  if (!streamId.startsWith(prefix) || streamId.length === prefix.length) throw new Error(`"${streamId}" is not a ${category} stream id`);
  return streamId.slice(prefix.length);
}
