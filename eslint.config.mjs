import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const infrastructure = ['@nestjs/*', 'kysely', 'pg', 'bullmq', 'ioredis', 'express', 'nestjs-pino'];

// Which scope may use which. A feature reaches another scope only through that scope's declared
// public API: its data-access and domain libraries (their index.ts), never its feature library.
const SCOPES = {
  'scope:model-catalogue': [],
  'scope:organisations': [],
  // Invitations and registrations check the assessments and organisations they name.
  'scope:respondents': ['scope:organisations', 'scope:assessments'],
  'scope:assessments': ['scope:model-catalogue', 'scope:organisations', 'scope:respondents'],
  // Trends and benchmarks read assessments' scores, organisations' profiles and the models' crosswalks.
  'scope:insights': ['scope:assessments', 'scope:organisations', 'scope:model-catalogue'],
  // The archival export and its offline verification replay scores with the assessments' and the
  // model catalogue's pure functions.
  // Open data publishes closed assessments' scores and benchmarks over them, never below k, and
  // copies the archive's signed checkpoints.
  'scope:open-data': ['scope:assessments', 'scope:organisations', 'scope:insights', 'scope:model-catalogue', 'scope:respondents', 'scope:archive'],
  'scope:archive': ['scope:assessments', 'scope:model-catalogue', 'scope:organisations', 'scope:respondents'],
  // Reports draw on an assessment's scores, the model's texts, its organisation and the insights' trends and benchmarks.
  'scope:reports': ['scope:assessments', 'scope:organisations', 'scope:model-catalogue', 'scope:insights'],
};

// Libraries are reached through their index.ts, and dependencies point one way:
// app -> feature -> platform (HTTP plumbing) -> data-access -> domain -> util. The domain core is
// pure; nothing imports an app; a feature never imports another feature (apps compose them).
function moduleBoundaries(inTests) {
  const testing = inTests ? ['type:testing'] : [];
  // Tests and benchmarks may assemble features as the apps do.
  const features = inTests ? ['type:feature'] : [];
  const inner = inTests ? ['type:data-access', 'type:domain'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: '*', notDependOnLibsWithTags: ['type:app'] },
      // An app composes feature manifests: of a feature it imports the feature library only (its manifest
      // and types), while the shared libraries (event store, database, configuration) are its own to use.
      // Its tests and benchmarks may reach further, to arrange and inspect.
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:util', 'type:migrations', 'scope:shared', ...inner, ...testing] },
      { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:platform', 'type:data-access', 'type:domain', 'type:util', ...features, ...testing] },
      { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:data-access', 'type:domain', 'type:util', ...testing] },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', ...features, ...testing] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...testing], bannedExternalImports: infrastructure },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:migrations'] },
      { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      // A feature's tests assemble the features it stands on as the apps do (its respondents, say),
      // so the scope rules hold for the code, not for its tests.
      ...(inTests ? [] : Object.entries(SCOPES).map(([scope, uses]) => ({ sourceTag: scope, onlyDependOnLibsWithTags: [scope, 'scope:shared', ...uses] }))),
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
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(false)],
      // The testing helpers (template databases, tampering, spec builders) are for tests and benchmarks only.
      'no-restricted-imports': ['error', { paths: [{ name: '@maatlat/shared/testing', message: 'the testing helpers are for tests and benchmarks only' }] }],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests and benchmarks may also use the testing helpers, and assemble features as apps do.
    files: ['**/*.spec.ts', 'test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(true)],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The end-to-end suites drive the apps whole (importing their modules); they are a project
    // (test/project.json) only so that `nx affected` runs them when an app or library changes.
    files: ['test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
