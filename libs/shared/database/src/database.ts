import type { ColumnType, Generated } from 'kysely';

/** The schema as Kysely sees it: one source of truth, kept in step with `migrations/`. */
export interface DB {
  streams: StreamsTable;
  events: EventsTable;
  stream_commands: StreamCommandsTable;
  outbox: OutboxTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  stream_index: StreamIndexTable;
  model_versions: ModelVersionsTable;
  organisations: OrganisationsTable;
  organisation_units: OrganisationUnitsTable;
  chains: ChainsTable;
  chain_members: ChainMembersTable;
  person_keys: PersonKeysTable;
  respondents: RespondentsTable;
  assessments: AssessmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  insights_trend_points: InsightsTrendPointsTable;
  insights_changes: InsightsChangesTable;
  insights_peer_scores: InsightsPeerScoresTable;
  insights_peer_digests: InsightsPeerDigestsTable;
  insights_peer_profiles: InsightsPeerProfilesTable;
  insights_peer_models: InsightsPeerModelsTable;
  log_checkpoints: LogCheckpointsTable;
  open_data_versions: OpenDataVersionsTable;
  report_files: ReportFilesTable;
  archive_exports: ArchiveExportsTable;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface StreamsTable {
  stream_id: string;
  category: string;
  version: number;
  head_hash: Buffer;
  created_at: Timestamp;
  last_recorded_at: Timestamp;
}

export interface EventsTable {
  position: Generated<number>;
  transaction_id: Generated<string>;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Timestamp;
  content_hash: Buffer;
  previous_hash: Buffer;
  hash: Buffer;
}

export interface StreamCommandsTable {
  stream_id: string;
  command_id: string;
  first_version: number;
  last_version: number;
  first_position: number | null;
  last_position: number | null;
  recorded_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<number>;
  job_id: string;
  job_name: string;
  payload: unknown;
  caused_by_event_id: string | null;
  created_at: Generated<Date>;
  dispatched_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** The in-process runner's state of the job (without Redis); empty under BullMQ. */
  run_after: Date | null;
  locked_until: Date | null;
  job_attempts: Generated<number>;
  job_error: string | null;
  completed_at: Date | null;
  failed_at: Date | null;
}

export interface ProjectionCheckpointsTable {
  name: string;
  transaction_id: Generated<string>;
  position: Generated<number>;
  events_processed: Generated<number>;
  updated_at: Generated<Date>;
  rebuilt_at: Date | null;
}

export interface StreamIndexTable {
  stream_id: string;
  category: string;
  tenant_id: string | null;
  version: number;
  event_count: number;
  first_recorded_at: Timestamp;
  last_recorded_at: Timestamp;
  last_event_type: string;
}

export interface ModelVersionsTable {
  key: string;
  version: string;
  status: 'draft' | 'published' | 'retired';
  title: unknown;
  content_hash: string | null;
  legal_basis: string | null;
  /** A date column: read as text (YYYY-MM-DD) by our pools. */
  effective_from: string | null;
  predecessor: string | null;
  factor_count: number;
  question_count: number;
  drafted_at: Timestamp;
  drafted_by: string;
  published_at: Timestamp | null;
  published_by: string | null;
  retired_at: Timestamp | null;
  retired_by: string | null;
  updated_at: Timestamp;
}

export interface OrganisationsTable {
  organisation_id: string;
  name: string;
  organisation_type: string;
  size_band: string;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganisationUnitsTable {
  organisation_id: string;
  unit_id: string;
  parent_unit_id: string | null;
  name: string;
  kind: string;
  closed: Generated<boolean>;
  path: string;
  depth: number;
  updated_at: Timestamp;
}

export interface PersonKeysTable {
  respondent_id: string;
  /** Only in rows made before data keys were wrapped; wrapped on their next use. */
  data_key: Buffer | null;
  /** The data key wrapped with the key-encryption key `key_id` (which is not in the database). */
  wrapped_key: Buffer | null;
  key_id: string | null;
  created_at: Generated<Date>;
}

/** One Idempotency-Key of one caller: the first request's fingerprint and, once answered, its response. */
export interface IdempotencyKeysTable {
  caller: string;
  key: string;
  method: string;
  path: string;
  fingerprint: Buffer;
  /** Null while the first request runs. */
  status: number | null;
  /** Null while running, and for routes whose responses are never stored. */
  response: unknown;
  created_at: Generated<Date>;
  completed_at: Date | null;
}

export interface RespondentsTable {
  respondent_id: string;
  organisation_id: string;
  status: 'active' | 'erased';
  registered_at: Timestamp;
  erased_at: Timestamp | null;
}

export interface ChainsTable {
  chain_id: string;
  name: string;
  description: string;
  formed_at: Timestamp;
}

export interface ChainMembersTable {
  chain_id: string;
  organisation_id: string;
  unit_id: string;
  joined_at: Timestamp;
}

export interface AssessmentsTable {
  assessment_id: string;
  organisation_id: string;
  period: string;
  model_key: string;
  model_version: string;
  status: 'open' | 'closed';
  opened_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface InsightsTrendPointsTable {
  assessment_id: string;
  organisation_id: string;
  scope_kind: 'organisation' | 'unit' | 'chain';
  unit_id: string | null;
  chain_id: string | null;
  period: string;
  model_key: string;
  native_model_version: string;
  closed_at: Timestamp | null;
  /** The standing score as insights cite it (`StandingScore`), null until the assessment is scored. */
  score: unknown;
}

/** One organisation's comparable score in a model key, period and level (benchmarks read these). */
export interface InsightsPeerScoresTable {
  model_key: string;
  period: string;
  level: 'organisation' | 'unit';
  organisation_id: string;
  model_version: string;
  organisation_type: string;
  size_band: string;
  overall: number | null;
  /** `Record<factorId, number | null>` on `model_version`. */
  factors: unknown;
  /** The score events that went in (`FrozenInput['scoreEvents']`). */
  score_events: unknown;
  /** A 64-bit hash of the row's content, as a decimal string (bigint). */
  row_hash: ColumnType<string, string, string>;
}

/** Per model key, period, level and model version: how many peer-score rows, and the XOR of their hashes (kept with the rows). */
export interface InsightsPeerDigestsTable {
  model_key: string;
  period: string;
  level: string;
  model_version: string;
  organisations: number;
  /** bigint, as a decimal string. */
  hash_xor: ColumnType<string, string, string>;
}

/** An organisation's type and size band, as the insights projection read them from the log. */
export interface InsightsPeerProfilesTable {
  organisation_id: string;
  organisation_type: string;
  size_band: string;
}

/** A model version as the insights projection read it from the log: document, crosswalk, published or not. */
export interface InsightsPeerModelsTable {
  model_key: string;
  version: string;
  document: unknown;
  crosswalk: unknown;
  published: Generated<boolean>;
}

/** A computed change between two score events on one model version (`ChangeSincePrevious`). */
export interface InsightsChangesTable {
  previous_score_event_id: string;
  current_score_event_id: string;
  model_version: string;
  change: unknown;
  computed_at: Generated<Date>;
}

export interface LogCheckpointsTable {
  sequence: number;
  transaction_id: string;
  position: number;
  streams: number;
  root: string;
  recorded_at: Timestamp;
  key_id: string;
  statement: unknown;
  signature: string;
}

export interface OpenDataVersionsTable {
  version: number;
  content_id: string;
  created_at: Timestamp;
  publications_hash: string;
  /** The latest signed checkpoint the version carries (null: none, or made before this was kept). */
  checkpoint_sequence: ColumnType<number | null, number | null | undefined, never>;
  metadata: unknown;
  files: unknown;
}

export interface ReportFilesTable {
  report_id: string;
  assessment_id: string;
  organisation_id: string;
  sha256: Buffer;
  pdf: Buffer;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface ArchiveExportsTable {
  export_id: string;
  organisation_id: string;
  requested_by: string;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  sha256: Buffer | null;
  /** bigint: the driver gives it as text. */
  size: ColumnType<string | null, number | null | undefined, number | null>;
  archive: Buffer | null;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
