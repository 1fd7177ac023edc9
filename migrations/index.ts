import type { Migration } from 'kysely';
import * as createEventStore from './2026_11_28_2200_create_event_store';
import * as createModelVersions from './2026_11_28_2300_create_model_versions';
import * as createOrganisations from './2026_11_28_2330_create_organisations';
import * as createRespondents from './2026_11_28_2345_create_respondents';
import * as createAssessments from './2026_11_29_0000_create_assessments';
import * as indexAssessmentEvents from './2026_11_29_0010_index_assessment_events';
import * as compressEventDataWithLz4 from './2026_11_29_0100_compress_event_data_with_lz4';
import * as wrapPersonKeys from './2026_12_01_0900_wrap_person_keys';
import * as createIdempotencyKeys from './2026_12_01_1000_create_idempotency_keys';
import * as createInsightsTrendPoints from './2026_12_02_0900_create_insights_trend_points';
import * as guardedAppends from './2026_12_03_0900_guarded_appends';
import * as runJobsFromOutbox from './2026_12_03_1000_run_jobs_from_outbox';
import * as createReportFiles from './2026_12_03_1200_create_report_files';
import * as createCheckpointsAndOpenData from './2026_12_03_1300_create_checkpoints_and_open_data';
import * as createInsightsChanges from './2026_12_03_1600_create_insights_changes';
import * as createInsightsPeerScores from './2026_12_04_0900_create_insights_peer_scores';
import * as createArchiveExports from './2026_12_04_1000_create_archive_exports';
import * as guardedAppendsOnUnchangedStream from './2026_12_05_0900_guarded_appends_on_unchanged_stream';
import * as logOrderIndexWithType from './2026_12_06_0900_log_order_index_with_type';
import * as createInsightsPeerDigests from './2026_12_06_1000_create_insights_peer_digests';
import * as createLogCheckpointSubtrees from './2026_12_07_0900_create_log_checkpoint_subtrees';
import * as leanerAppend from './2026_12_08_0900_leaner_append';
import * as openDataVersionsCarryCheckpoint from './2026_12_09_0900_open_data_versions_carry_checkpoint';
import * as keepCheckpointHeads from './2026_12_10_0900_keep_checkpoint_heads';

/**
 * Every migration, by name. Names sort in the order they run; a migration is never edited once
 * it has landed: change the schema with a new one.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_28_2200_create_event_store': createEventStore,
  '2026_11_28_2300_create_model_versions': createModelVersions,
  '2026_11_28_2330_create_organisations': createOrganisations,
  '2026_11_28_2345_create_respondents': createRespondents,
  '2026_11_29_0000_create_assessments': createAssessments,
  '2026_11_29_0010_index_assessment_events': indexAssessmentEvents,
  '2026_11_29_0100_compress_event_data_with_lz4': compressEventDataWithLz4,
  '2026_12_01_0900_wrap_person_keys': wrapPersonKeys,
  '2026_12_01_1000_create_idempotency_keys': createIdempotencyKeys,
  '2026_12_02_0900_create_insights_trend_points': createInsightsTrendPoints,
  '2026_12_03_0900_guarded_appends': guardedAppends,
  '2026_12_03_1000_run_jobs_from_outbox': runJobsFromOutbox,
  '2026_12_03_1200_create_report_files': createReportFiles,
  '2026_12_03_1300_create_checkpoints_and_open_data': createCheckpointsAndOpenData,
  '2026_12_03_1600_create_insights_changes': createInsightsChanges,
  '2026_12_04_0900_create_insights_peer_scores': createInsightsPeerScores,
  '2026_12_04_1000_create_archive_exports': createArchiveExports,
  '2026_12_05_0900_guarded_appends_on_unchanged_stream': guardedAppendsOnUnchangedStream,
  '2026_12_06_0900_log_order_index_with_type': logOrderIndexWithType,
  '2026_12_06_1000_create_insights_peer_digests': createInsightsPeerDigests,
  '2026_12_07_0900_create_log_checkpoint_subtrees': createLogCheckpointSubtrees,
  '2026_12_08_0900_leaner_append': leanerAppend,
  '2026_12_09_0900_open_data_versions_carry_checkpoint': openDataVersionsCarryCheckpoint,
  '2026_12_10_0900_keep_checkpoint_heads': keepCheckpointHeads,
};
