import { Worker, type Job } from 'bullmq';
import type IORedis from 'ioredis';
import { indexJobHandlers, QUEUE_NAME, type JobRegistration } from './jobs';

/**
 * Starts a BullMQ worker that hands each job to its one registered handler. Refuses to start when
 * a job has no handler or two. A job whose worker died holds its lock until `lockMs` runs out;
 * then any worker takes it up again (the handlers are idempotent, so a half-done job is safe).
 * After a job's last try fails, its handler's `onFinalFailure` runs once; `onError` hears what
 * could not be done (a failing `onFinalFailure`, a worker that lost Redis).
 */
export function startJobWorker(
  connection: IORedis,
  registrations: readonly JobRegistration[],
  options: { concurrency: number; lockMs: number; attempts: number; queueName?: string; prefix?: string; onError?: (error: Error, what: string) => void },
): Worker {
  const handlers = indexJobHandlers(registrations);
  const worker = new Worker(
    options.queueName ?? QUEUE_NAME,
    async (job: Job) => {
      const registration = handlers.get(job.name);
      if (!registration) throw new Error(`no handler for job ${job.name}`);
      await registration.handle(job.data as never, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 });
    },
    {
      connection,
      concurrency: options.concurrency,
      prefix: options.prefix,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A job is taken up again after its worker died as long as it has tries left; a job that
      // kills every worker that takes it fails in the end, as it does with the outbox runner.
      maxStalledCount: options.attempts - 1,
    },
  );
  worker.on('failed', (job, error) => {
    // Only a job that is done for good has its finishing time; one that will be tried again has none.
    if (!job?.finishedOn) return;
    const registration = handlers.get(job.name);
    registration?.onFinalFailure(job.data as never, error.message).catch((e: Error) => options.onError?.(e, `recording the final failure of job ${job.id}`));
  });
  worker.on('error', (error) => options.onError?.(error, 'job worker'));
  return worker;
}
