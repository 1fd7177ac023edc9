import { stopEmbeddedServer } from './global-setup';
import { dropDatabase } from './test-database';

/** Jest global teardown: the run's template goes with it, and its embedded PostgreSQL if it had one. */
export default async function globalTeardown(): Promise<void> {
  try {
    if (process.env.MAATLAT_TEST_TEMPLATE) await dropDatabase(process.env.MAATLAT_TEST_TEMPLATE);
  } finally {
    await stopEmbeddedServer();
  }
}
