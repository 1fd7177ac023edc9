import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { TEST_REDIS_URL } from './test-database';

/**
 * Removes everything a test or benchmark left under its queue prefix (finished jobs are kept for a
 * week otherwise, and Redis here is shared by every run).
 */
export async function dropTestQueue(prefix: string, queueName: string): Promise<void> {
  if (!TEST_REDIS_URL) return;
  const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const queue = new Queue(queueName, { connection, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
