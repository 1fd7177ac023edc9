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

/**
 * Pings Redis, giving a connection that is still (re)connecting a moment to become ready: a
 * producer connection fails fast by design, which a health check should not mistake for "down".
 */
export async function pingRedis(redis: IORedis, timeoutMs = 1000): Promise<void> {
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error(`Redis is not reachable (connection ${redis.status})`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once('ready', onReady);
    });
  }
  await redis.ping();
}
