export { createTestDatabase, dropDatabase, TEST_REDIS_URL, testServerUrl, type TestDatabase } from './test-database';
export { eventually } from './eventually';
export { prepareTemplateDatabase } from './global-setup';
export { deciderSpec } from './decider-spec';
export { dropTestQueue } from './test-queue';
export { projectionSpec, GIVEN_RECORDED_AT, GIVEN_METADATA, type GivenEvent, type RowSource, type ProjectionUnderTest, type RecordedTestEvent } from './projection-spec';
export { testConfig, TEST_DATA_KEY_ENCRYPTION_KEYS } from './test-config';
export { describeWithRedis } from './with-redis';
export { rewriteStreamWithChain, type ChainFunctions } from './tamper';
