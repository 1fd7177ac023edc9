import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB, InsightsPeerScoresTable } from '@maatlat/shared/database';
import type { RecordedEvent } from '@maatlat/shared/event-store';
import { compareVersions, parseModelRef, parseModelVersionStreamId, type Crosswalk, type ModelDocument, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import { parseOrganisationStreamId, type OrganisationEvent } from '@maatlat/organisations/domain';
import { peerEntryOf, type CrosswalkLink, type FrozenInput, type PeerScore } from '@maatlat/insights/domain';
import { trendPointOf } from './trend-point-rows';

export type PeerProfileEvent = Extract<OrganisationEvent, { type: 'OrganisationRegistered' | 'OrganisationProfileChanged' }>;
export type PeerModelEvent = Extract<ModelVersionEvent, { type: 'ModelVersionDrafted' | 'ModelDraftRevised' | 'ModelCrosswalkSet' | 'ModelVersionPublished' }>;
export const PEER_PROFILE_EVENTS = ['OrganisationRegistered', 'OrganisationProfileChanged'] as const;
export const PEER_MODEL_EVENTS = ['ModelVersionDrafted', 'ModelDraftRevised', 'ModelCrosswalkSet', 'ModelVersionPublished'] as const;

export type BenchmarkLevel = 'organisation' | 'unit';

/** What a batch changed that peer scores stand on: whole model keys, whole organisations, or one organisation's period of a key. */
export interface PeerChanges {
  /** Model keys with a newly published version: every organisation's score moves onto it. */
  keys: Set<string>;
  /** Organisations whose type or size band was set. */
  organisations: Set<string>;
  /** `organisationId`, model key and period of a point whose standing score or close changed. */
  cells: Map<string, { organisationId: string; modelKey: string; period: string }>;
}

export const noPeerChanges = (): PeerChanges => ({ keys: new Set(), organisations: new Set(), cells: new Map() });

export function markPeerCell(changes: PeerChanges, organisationId: string, modelKey: string, period: string): void {
  changes.cells.set(JSON.stringify([organisationId, modelKey, period]), { organisationId, modelKey, period });
}

/** Keeps the model versions (document, crosswalk, published) and the organisations' profiles the events carry. */
export async function applyPeerSources(trx: Transaction<DB>, events: readonly RecordedEvent<PeerProfileEvent | PeerModelEvent>[], changes: PeerChanges): Promise<void> {
  const profiles = new Map<string, { organisation_id: string; organisation_type: string; size_band: string }>();
  for (const event of events) {
    switch (event.type) {
      case 'OrganisationRegistered':
      case 'OrganisationProfileChanged': {
        const organisationId = parseOrganisationStreamId(event.streamId);
        profiles.set(organisationId, { organisation_id: organisationId, organisation_type: event.data.organisationType, size_band: event.data.sizeBand });
        changes.organisations.add(organisationId);
        break;
      }
      case 'ModelVersionDrafted':
        await trx
          .insertInto('insights_peer_models')
          .values({ model_key: event.data.key, version: event.data.version, document: JSON.stringify(event.data.document), crosswalk: null })
          .onConflict((oc) => oc.columns(['model_key', 'version']).doUpdateSet({ document: JSON.stringify(event.data.document) }))
          .execute();
        break;
      case 'ModelDraftRevised': {
        const { key, version } = parseModelVersionStreamId(event.streamId);
        await trx.updateTable('insights_peer_models').set({ document: JSON.stringify(event.data.document) }).where('model_key', '=', key).where('version', '=', version).execute();
        break;
      }
      case 'ModelCrosswalkSet': {
        const { key, version } = parseModelVersionStreamId(event.streamId);
        await trx.updateTable('insights_peer_models').set({ crosswalk: JSON.stringify(event.data.crosswalk) }).where('model_key', '=', key).where('version', '=', version).execute();
        break;
      }
      case 'ModelVersionPublished': {
        const { key, version } = parseModelVersionStreamId(event.streamId);
        await trx.updateTable('insights_peer_models').set({ published: true }).where('model_key', '=', key).where('version', '=', version).execute();
        changes.keys.add(key);
        break;
      }
    }
  }
  if (profiles.size > 0) {
    await trx
      .insertInto('insights_peer_profiles')
      .values([...profiles.values()])
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet((eb) => ({ organisation_type: eb.ref('excluded.organisation_type'), size_band: eb.ref('excluded.size_band') })))
      .execute();
  }
}

/** A model key as benchmarks use it: its newest published version, that version's factors, and the crosswalks between published versions. */
interface PeerModel {
  version: string;
  factorIds: string[];
  links: CrosswalkLink[];
}

async function peerModels(trx: Transaction<DB>, keys: readonly string[]): Promise<Map<string, PeerModel>> {
  if (keys.length === 0) return new Map();
  const rows = await trx.selectFrom('insights_peer_models').selectAll().where('model_key', 'in', keys).execute();
  const models = new Map<string, PeerModel>();
  for (const key of keys) {
    const versions = rows.filter((r) => r.model_key === key);
    const published = versions.filter((r) => r.published).sort((a, b) => compareVersions(a.version, b.version));
    if (published.length === 0) continue;
    const links: CrosswalkLink[] = [];
    for (const row of published) {
      const crosswalk = row.crosswalk as Crosswalk | null;
      const from = crosswalk ? parseModelRef(crosswalk.from) : undefined;
      const source = from && rows.find((r) => r.model_key === from.key && r.version === from.version);
      if (!crosswalk || !source) continue;
      links.push({ from: source.document as ModelDocument, to: row.document as ModelDocument, crosswalk });
    }
    const newest = published[published.length - 1];
    models.set(key, { version: newest.version, factorIds: (newest.document as ModelDocument).factors.map((f) => f.id), links });
  }
  return models;
}

/** A row's content, hashed to 64 bits (signed, as PostgreSQL's bigint), as a decimal string. */
function rowHashOf(row: Omit<Insertable<InsightsPeerScoresTable>, 'row_hash'>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([row.model_key, row.period, row.level, row.organisation_id, row.model_version, row.organisation_type, row.size_band, row.overall, row.factors, row.score_events]))
    .digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Computes again the peer scores of what changed, from the trend points and profiles as they now
 * stand in this transaction: every organisation of a key with a new published version, every
 * score of an organisation whose profile was set, and the organisation's score in a key and period
 * whose points changed. Rows that no longer have a comparable score are removed.
 */
export async function recomputePeerScores(trx: Transaction<DB>, changes: PeerChanges): Promise<void> {
  const keys = [...changes.keys];
  const organisations = [...changes.organisations];
  const cells = [...changes.cells.values()];
  if (keys.length === 0 && organisations.length === 0 && cells.length === 0) return;
  const cellRows = cells.length ? sql<boolean>`(p.organisation_id, p.model_key, p.period) IN (${sql.join(cells.map((c) => sql`(${c.organisationId}, ${c.modelKey}, ${c.period})`))})` : sql<boolean>`false`;
  const anyOf = sql<boolean>`(${keys.length ? sql`p.model_key = ANY(${keys}::text[])` : sql`false`} OR ${organisations.length ? sql`p.organisation_id = ANY(${organisations}::text[])` : sql`false`} OR ${cellRows})`;
  // Without a newly published version (nearly every batch), only these organisations' rows are
  // concerned: said separately, so both tables are read through their organisation index, not scanned.
  const concerned = [...new Set([...organisations, ...cells.map((c) => c.organisationId)])];
  const scopeFilter = keys.length ? anyOf : sql<boolean>`p.organisation_id = ANY(${concerned}::text[]) AND ${anyOf}`;
  const { rows: deleted } = await sql<DigestPart>`DELETE FROM insights_peer_scores p WHERE ${scopeFilter} RETURNING model_key, period, level, model_version, row_hash::text`.execute(trx);
  const digests = new DigestChanges();
  for (const row of deleted) digests.toggle(row, -1);
  const { rows: points } = await sql<Parameters<typeof trendPointOf>[0]>`
    SELECT p.* FROM insights_trend_points p
     WHERE ${scopeFilter} AND p.scope_kind <> 'chain' AND p.score IS NOT NULL AND p.closed_at IS NOT NULL
     ORDER BY p.organisation_id, p.closed_at, p.assessment_id`.execute(trx);
  if (points.length === 0) return digests.write(trx);
  const models = await peerModels(trx, [...new Set(points.map((p) => p.model_key))]);
  const profileRows = await trx.selectFrom('insights_peer_profiles').selectAll().where('organisation_id', 'in', [...new Set(points.map((p) => p.organisation_id))]).execute();
  const profiles = new Map(profileRows.map((r) => [r.organisation_id, r]));
  const groups = new Map<string, { level: BenchmarkLevel; points: ReturnType<typeof trendPointOf>[] }>();
  for (const row of points) {
    const level = row.scope_kind as BenchmarkLevel;
    const id = JSON.stringify([row.model_key, row.period, level, row.organisation_id]);
    const group = groups.get(id) ?? { level, points: [] };
    group.points.push(trendPointOf(row));
    groups.set(id, group);
  }
  const rows: Insertable<InsightsPeerScoresTable>[] = [];
  for (const { level, points: own } of groups.values()) {
    const first = own[0];
    const model = models.get(first.nativeModel.key);
    const profile = profiles.get(first.organisationId);
    // No published version (nothing to compare on), or an organisation not registered: not a peer.
    if (!model || !profile) continue;
    const entry = peerEntryOf({ organisationId: first.organisationId, organisationType: profile.organisation_type, sizeBand: profile.size_band }, own, model.version, model.links, model.factorIds);
    if (!entry) continue;
    const row = {
      model_key: first.nativeModel.key,
      period: first.period,
      level,
      organisation_id: first.organisationId,
      model_version: model.version,
      organisation_type: profile.organisation_type,
      size_band: profile.size_band,
      overall: entry.score.overall,
      factors: JSON.stringify(entry.score.factors),
      score_events: JSON.stringify(entry.input.scoreEvents),
    };
    const written = { ...row, row_hash: rowHashOf(row) };
    rows.push(written);
    digests.toggle(written, 1);
  }
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('insights_peer_scores').values(rows.slice(i, i + 1000)).execute();
  await digests.write(trx);
}

type DigestPart = { model_key: string; period: string; level: string; model_version: string; row_hash: string };

/**
 * What a batch changes in the kept digests: per key, period, level and version, rows counted in
 * or out and their hashes XORed in (XOR takes a deleted row out again).
 */
class DigestChanges {
  private readonly changes = new Map<string, { part: Omit<DigestPart, 'row_hash'>; organisations: number; xor: bigint }>();

  toggle(row: DigestPart, count: 1 | -1): void {
    const key = JSON.stringify([row.model_key, row.period, row.level, row.model_version]);
    const change = this.changes.get(key) ?? { part: { model_key: row.model_key, period: row.period, level: row.level, model_version: row.model_version }, organisations: 0, xor: 0n };
    change.organisations += count;
    change.xor ^= BigInt(row.row_hash);
    this.changes.set(key, change);
  }

  async write(trx: Transaction<DB>): Promise<void> {
    const changed = [...this.changes.values()].filter((c) => c.organisations !== 0 || c.xor !== 0n);
    if (changed.length === 0) return;
    const values = changed.map((c) => ({ ...c.part, organisations: c.organisations, hash_xor: BigInt.asIntN(64, c.xor).toString() }));
    await trx
      .insertInto('insights_peer_digests')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['model_key', 'period', 'level', 'model_version']).doUpdateSet({
          organisations: sql`insights_peer_digests.organisations + excluded.organisations`,
          hash_xor: sql`insights_peer_digests.hash_xor # excluded.hash_xor`,
        }),
      )
      .execute();
    await trx.deleteFrom('insights_peer_digests').where('organisations', '=', 0).execute();
  }
}

/** The peer scores of one model key, period and level, and the digest of the rows they came from. */
export interface PeerRows {
  modelVersion: string;
  /** Changes whenever any row of the key, period and level does (version, row count and the XOR of the rows' hashes). */
  digest: string;
  scores: PeerScore[];
  inputs: FrozenInput[];
}

/** Reads of the peer scores benchmarks stand on: each one indexed query on the key, period and level. */
export class PeerScoreRows {
  constructor(private readonly db: Kysely<DB>) {}

  /** The digest of the rows as they stand, as the projection keeps it beside them (one row per model version, however many organisations); null when there are none. */
  async digest(modelKey: string, period: string, level: BenchmarkLevel): Promise<string | null> {
    const { rows } = await sql<{ digest: string | null }>`SELECT ${keptDigest(modelKey, period, level)} AS digest`.execute(this.db);
    return rows[0]?.digest ?? null;
  }

  /** Every organisation's peer score, by organisation id, with the digest of these same rows (one statement, one snapshot). */
  async read(modelKey: string, period: string, level: BenchmarkLevel): Promise<PeerRows | null> {
    const { rows } = await sql<{
      organisation_id: string;
      model_version: string;
      organisation_type: string;
      size_band: string;
      overall: number | null;
      factors: Record<string, number | null>;
      score_events: FrozenInput['scoreEvents'];
      digest: string;
    }>`
      SELECT organisation_id, model_version, organisation_type, size_band, overall, factors, score_events, ${keptDigest(modelKey, period, level)} AS digest
        FROM insights_peer_scores
       WHERE model_key = ${modelKey} AND period = ${period} AND level = ${level}
       ORDER BY organisation_id`.execute(this.db);
    if (rows.length === 0) return null;
    // One publication moves every row of a key in one transaction, so the rows share a version; should they not, the newest counts.
    const modelVersion = [...new Set(rows.map((r) => r.model_version))].sort(compareVersions).pop()!;
    const current = rows.filter((r) => r.model_version === modelVersion);
    return {
      modelVersion,
      digest: rows[0].digest,
      scores: current.map((r) => ({ organisationId: r.organisation_id, organisationType: r.organisation_type, sizeBand: r.size_band, overall: r.overall, factors: r.factors })),
      inputs: current.map((r) => ({ organisationId: r.organisation_id, organisationType: r.organisation_type, sizeBand: r.size_band, scoreEvents: r.score_events })),
    };
  }
}

/** The kept digest of a key, period and level, as one value: in the statement that reads the rows, it is of those same rows. */
const keptDigest = (modelKey: string, period: string, level: BenchmarkLevel) => sql<string | null>`(
  SELECT string_agg(model_version || ':' || organisations || ':' || hash_xor, ',' ORDER BY model_version)
    FROM insights_peer_digests WHERE model_key = ${modelKey} AND period = ${period} AND level = ${level})`;
