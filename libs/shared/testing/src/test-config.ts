import { loadConfig, type AppConfig } from '@maatlat/shared/config';

/**
 * The key-encryption key of tests and benchmarks: fixed, so that processes a test starts (workers)
 * read what it wrote. For tests only; the platform's own configuration has no default.
 */
export const TEST_DATA_KEY_ENCRYPTION_KEYS = `test:${Buffer.from('maatlat-tests-key-encryption-key').toString('base64')}`;

/**
 * The configuration a test builds services with: as `loadConfig`, plus the tests' key-encryption key.
 * @example const config = testConfig({ DATABASE_URL: database.url });
 */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({ DATA_KEY_ENCRYPTION_KEYS: TEST_DATA_KEY_ENCRYPTION_KEYS, ...env });
}
