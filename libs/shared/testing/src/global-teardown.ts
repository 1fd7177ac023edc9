import { dropDatabase } from './test-database';

/** Jest global teardown: the run's template goes with it. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.MAATLAT_TEST_TEMPLATE) await dropDatabase(process.env.MAATLAT_TEST_TEMPLATE);
}
