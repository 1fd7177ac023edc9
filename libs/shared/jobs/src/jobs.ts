/**
 * Every job the platform runs, by name, with its payload. A job's id is derived from its cause
 * (`<causing event id>_<job name>`), and a handler's only durable effect is appending events with
 * deterministic ids, so a job delivered twice changes nothing the second time.
 */
export interface PlatformJobs {
  /** Re-verifies one stream's hash chain, e.g. after an archival export or on an auditor's request. */
  'event-store.verify-stream': { streamId: string };
  /** Rescores one closed assessment as part of a recalculation. */
  'assessment.recalculate': { recalculationId: string; assessmentId: string };
  /** Prints one requested report of an assessment to PDF and records it as issued. */
  'report.generate-pdf': { reportId: string; assessmentId: string };
  /** Writes an organisation's archival export, packs it as one .tar.gz and records it as exported. */
  'archive.export': { exportId: string; organisationId: string };
}

export type JobName = keyof PlatformJobs;

export const JOB_NAMES: readonly JobName[] = ['event-store.verify-stream', 'assessment.recalculate', 'report.generate-pdf', 'archive.export'];

/** All jobs go through one queue; the worker dispatches on the job's name. */
export const QUEUE_NAME = 'maatlat-jobs';

export interface JobContext {
  jobId: string;
  attempt: number;
}

/**
 * A job's one handler. `onFinalFailure` says what happens once every try has failed: it records the
 * failure where users read progress (an event), or does nothing more than leave the job listed as
 * failed in the queue. Every handler must say which, so no failure goes unnoticed by omission.
 */
export interface JobRegistration<Name extends JobName = JobName> {
  name: Name;
  handle(payload: PlatformJobs[Name], context: JobContext): Promise<void>;
  onFinalFailure(payload: PlatformJobs[Name], reason: string): Promise<void>;
}

/** The id of a job caused by an event: stable across re-deliveries and relay restarts. */
export function jobIdFor(causingEventId: string, name: JobName): string {
  // BullMQ reserves ':' in custom ids; '_' keeps the id readable.
  return `${causingEventId}_${name}`;
}

/**
 * Checks that every job name has exactly one handler and no handler is for an unknown job.
 * The worker calls it at start, so a missing or doubled handler stops it at once.
 */
export function indexJobHandlers(
  registrations: readonly JobRegistration[],
  names: readonly string[] = JOB_NAMES,
): Map<string, JobRegistration> {
  const byName = new Map<string, JobRegistration>();
  const problems: string[] = [];
  for (const registration of registrations) {
    if (!names.includes(registration.name)) problems.push(`a handler for the unknown job ${registration.name}`);
    else if (byName.has(registration.name)) problems.push(`two handlers for ${registration.name}`);
    else byName.set(registration.name, registration);
  }
  for (const name of names) if (!byName.has(name)) problems.push(`no handler for ${name}`);
  if (problems.length) throw new Error(`job handlers are wrong: ${problems.join('; ')}`);
  return byName;
}
