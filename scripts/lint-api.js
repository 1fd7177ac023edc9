// `npm run lint:api`: writes the OpenAPI document the API serves, then lints it with Redocly
// (its recommended rules, warnings counted as errors: redocly.yaml) and with Spectral (the NL GOV
// API Design Rules that can be checked on a document: .spectral.yaml). Any problem fails the run.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const folder = mkdtempSync(path.join(tmpdir(), 'maatlat-openapi-'));
const document = path.join(folder, 'openapi.json');
// Neither linter phones home from CI.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' };

function run(label, args) {
  process.stdout.write(`--- ${label}\n`);
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  return result.status === 0;
}

let ok = run('the OpenAPI document', ['-r', './scripts/register.js', 'apps/api/src/write-api-document.ts', document]);
if (ok) {
  const redocly = run('redocly lint', [require.resolve('@redocly/cli/bin/cli.js'), 'lint', document, '--config', 'redocly.yaml']);
  const spectral = run('spectral lint', [require.resolve('@stoplight/spectral-cli/dist/index.js'), 'lint', document, '--ruleset', '.spectral.yaml', '--fail-severity', 'warn']);
  ok = redocly && spectral;
}
rmSync(folder, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
