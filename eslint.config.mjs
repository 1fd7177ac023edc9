import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const infrastructure = ['@nestjs/*', 'kysely', 'pg', 'bullmq', 'ioredis', 'express', 'nestjs-pino'];

// Libraries are reached through their index.ts, and dependencies point one way:
// app -> feature -> data-access -> domain -> util. The domain core stays pure.
function moduleBoundaries(inTests) {
  const testing = inTests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util', 'type:migrations', ...testing] },
      { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util', 'type:migrations', ...testing] },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', ...testing] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...testing], bannedExternalImports: infrastructure },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:migrations'] },
      { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
    ],
  };
}

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '.nx/**', 'tmp/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      // Libraries are reached through their index.ts, and dependencies point one way:
      // app -> feature -> data-access -> domain -> util. The domain core stays pure.
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(false)],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests and benchmarks may also use the testing helpers.
    files: ['**/*.spec.ts', 'test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(true)],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
