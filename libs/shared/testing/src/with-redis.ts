import { TEST_REDIS_URL } from './test-database';

/**
 * A suite that needs Redis (BullMQ). Without one configured for the tests it does not fail: it is
 * reported as skipped, with the reason in the test's name (the summary line lists it). In CI it must
 * run, so there a missing Redis fails it, except in the step that proves the embedded mode
 * (MAATLAT_WITHOUT_REDIS=1), which runs without one on purpose.
 * @example describeWithRedis('OutboxRelay', (redisUrl) => { ... });
 */
export function describeWithRedis(name: string, suite: (redisUrl: string) => void): void {
  if (TEST_REDIS_URL) {
    const redisUrl = TEST_REDIS_URL;
    describe(name, () => suite(redisUrl));
    return;
  }
  if (process.env.CI === 'true' && process.env.MAATLAT_WITHOUT_REDIS !== '1') {
    describe(name, () => {
      it('needs Redis, and CI must run it: set REDIS_URL (or TEST_REDIS_URL)', () => {
        throw new Error('no Redis configured for the tests in CI (REDIS_URL and TEST_REDIS_URL unset)');
      });
    });
    return;
  }
  describe(name, () => {
    it.skip('skipped: needs Redis, and none is configured for the tests (REDIS_URL or TEST_REDIS_URL unset)', () => undefined);
  });
}
