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
const ours = (file) => file.startsWith(root + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`) && !file.endsWith('.d.ts');
// Follows the imports from the entry point, each resolved as TypeScript resolves it, through our
// own files only: the same files a full program lists, without parsing every declaration file of
// the dependencies (seconds per app, which every first npm start waited for).
const resolutionCache = ts.createModuleResolutionCache(root, (name) => name, options);
const found = new Set([entry]);
for (const pending = [entry]; pending.length; ) {
  const file = pending.pop();
  if (file.endsWith('.json')) continue;
  const { importedFiles, referencedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of [...importedFiles, ...referencedFiles]) {
    const resolved = ts.resolveModuleName(fileName, file, options, ts.sys, resolutionCache).resolvedModule;
    const target = resolved && path.resolve(resolved.resolvedFileName);
    if (target && ours(target) && !found.has(target)) {
      found.add(target);
      pending.push(target);
    }
  }
}
const files = [...found].sort();

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
