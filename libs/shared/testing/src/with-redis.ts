import { TEST_REDIS_URL } from './test-database';

/**
 * A suite that needs Redis (BullMQ). Without one configured for the tests it does not fail: it is
 * reported as skipped, with the reason in the test's name (the summary line lists it). CI runs it.
 * @example describeWithRedis('OutboxRelay', (redisUrl) => { ... });
 */
export function describeWithRedis(name: string, suite: (redisUrl: string) => void): void {
  if (TEST_REDIS_URL) {
    const redisUrl = TEST_REDIS_URL;
    describe(name, () => suite(redisUrl));
    return;
  }
  describe(name, () => {
    it.skip('skipped: needs Redis, and none is configured for the tests (REDIS_URL or TEST_REDIS_URL unset)', () => undefined);
  });
}
