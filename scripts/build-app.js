// `nx run <app>:build` (and `nx run-many -t build`): compiles one app into dist/apps/<app>, as
// plain JavaScript that runs with `node dist/apps/<app>/main.js`, no compiler at run time.
// The files compiled are exactly those the app's entry point reaches through TypeScript's own
// module resolution (the workspace aliases included), so tests, benchmarks and the testing
// library never ship. Each keeps its place in the repository's layout, which keeps the relative
// paths the aliases are compiled into (scripts/swc-options.js) valid; the JSON the code imports
// (the shipped models and their schemas) is copied alongside. Type checking is `npm run typecheck`.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const swc = require('@swc/core');
const { swcOptions } = require('./swc-options');

const root = path.join(__dirname, '..');
const app = process.argv[2];
const entry = path.join(root, 'apps', app ?? '', 'src', 'main.ts');
if (!app || !fs.existsSync(entry)) {
  process.stderr.write(`usage: node scripts/build-app.js <app> (an app under apps/ with src/main.ts)\n`);
  process.exit(64);
}
const out = path.join(root, 'dist', 'apps', app);

const { config } = ts.readConfigFile(path.join(root, 'tsconfig.base.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
// Parsing and resolving only: no type check, no emit.
const program = ts.createProgram({ rootNames: [entry], options: { ...options, noEmit: true, types: [] } });
const files = program
  .getSourceFiles()
  .map((file) => path.resolve(file.fileName))
  .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`) && !file.endsWith('.d.ts') && file.startsWith(root + path.sep));

fs.rmSync(out, { recursive: true, force: true });
for (const file of files) {
  const relative = path.relative(root, file);
  const target = path.join(out, relative.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (file.endsWith('.json')) {
    fs.copyFileSync(file, target);
    continue;
  }
  const { code, map } = swc.transformFileSync(file, { ...swcOptions({ sourceMaps: true }), filename: file, sourceFileName: path.relative(path.dirname(target), file), swcrc: false, configFile: false });
  fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
  fs.writeFileSync(`${target}.map`, map);
}
fs.writeFileSync(path.join(out, 'main.js'), `'use strict';\n// The ${app}'s entry point (built by scripts/build-app.js).\nrequire('./apps/${app}/src/main.js');\n`);
process.stdout.write(`${app}: ${files.length} files compiled into ${path.relative(root, out)} (run: node ${path.relative(root, out)}/main.js)\n`);
