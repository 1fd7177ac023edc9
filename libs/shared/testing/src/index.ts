export { createTestDatabase, dropDatabase, TEST_REDIS_URL, TEST_SERVER_URL, type TestDatabase } from './test-database';
export { eventually } from './eventually';
export { prepareTemplateDatabase } from './global-setup';
export { deciderSpec } from './decider-spec';
export { dropTestQueue } from './test-queue';
export { testConfig, TEST_DATA_KEY_ENCRYPTION_KEYS } from './test-config';
