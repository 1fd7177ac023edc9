// One jest run over the whole workspace. Every test file that touches PostgreSQL copies the
// migrated template made in global setup, so files run in parallel safely.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace(/[/.]/g, '\\$&')}$`, `<rootDir>/${target}`]),
);

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/migrations'],
  testMatch: ['**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
          // Resolves the workspace aliases at compile time, which also covers global setup
          // (jest applies no module mapper there).
          baseUrl: __dirname,
          paths: compilerOptions.paths,
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  globalSetup: '<rootDir>/libs/shared/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/shared/testing/src/global-teardown.ts',
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  testTimeout: 60_000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
