// The one compiler configuration: jest compiles the tests with it and `nx run <app>:build` the
// production output, so what is tested is what ships. The workspace aliases (@maatlat/*) are
// resolved at compile time into relative paths, so the built files need no loader.
const { compilerOptions } = require('../tsconfig.base.json');

const root = require('node:path').join(__dirname, '..');

/** @param {{ sourceMaps: boolean | 'inline' }} options */
function swcOptions({ sourceMaps }) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      // Nest's dependency injection reads the constructor types the decorator metadata records.
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps,
  };
}

module.exports = { swcOptions };
