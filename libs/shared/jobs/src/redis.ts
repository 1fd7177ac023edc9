import IORedis, { type RedisOptions } from 'ioredis';

/**
 * A Redis connection for a queue producer (fails fast while Redis is away, so the outbox keeps the
 * work) or for a worker (blocking commands: BullMQ needs `maxRetriesPerRequest: null`).
 */
export function openRedis(url: string, purpose: 'producer' | 'worker' | 'probe'): IORedis {
  const options: RedisOptions =
    purpose === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  if (purpose === 'probe') options.retryStrategy = () => null;
  else options.retryStrategy = (attempt) => Math.min(attempt * 200, 5000);
  const redis = new IORedis(url, { ...options, lazyConnect: purpose === 'probe' });
  // Connection errors are reported by the commands that fail and by health checks.
  redis.on('error', () => undefined);
  return redis;
}
