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
