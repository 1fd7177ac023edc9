// `npm start`: creates and migrates the database, fills an empty one with the demo platform, then
// runs the API and one worker side by side and says, in a few lines, where everything is.
// The demo's secrets live in the data directory (MAATLAT_HOME, default ./.maatlat), readable by
// its owner only, so they outlive the run: tokens minted from a second shell (`npm run cli --
// token`) work, and respondents' data keys stay readable (their key-encryption key must last as
// long as the database). Set LOCAL_ISSUER/OIDC_*, INVITATION_SECRET or DATA_KEY_ENCRYPTION_KEYS
// yourself to use your own. The processes' JSON logs go to files there (LOG_FORMAT=json keeps
// them on standard output). If either process stops, the other is stopped too.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const root = path.join(__dirname, '..');
const register = ['-r', path.join(__dirname, 'register.js')];
const env = { ...process.env };
const home = path.resolve(root, env.MAATLAT_HOME || '.maatlat');
env.MAATLAT_HOME = home;
fs.mkdirSync(path.join(home, 'logs'), { recursive: true, mode: 0o700 });
const port = Number(env.PORT || 3000);
const started = Date.now();
const say = (line = '') => process.stdout.write(`${line}\n`);

/** The demo's secrets, made once and kept in the data directory. */
function demoSecrets() {
  const file = path.join(home, 'demo-secrets.json');
  if (!fs.existsSync(file)) {
    const secrets = {
      localIssuerSecret: randomBytes(32).toString('hex'),
      invitationSecret: randomBytes(32).toString('hex'),
      dataKeyEncryptionKeys: `dev:${randomBytes(32).toString('base64')}`,
    };
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const secrets = demoSecrets();
if (!env.LOCAL_ISSUER && !env.OIDC_ISSUER) {
  env.LOCAL_ISSUER = 'on';
  env.LOCAL_ISSUER_SECRET = secrets.localIssuerSecret;
}
if (!env.INVITATION_SECRET) env.INVITATION_SECRET = secrets.invitationSecret;
if (!env.DATA_KEY_ENCRYPTION_KEYS) env.DATA_KEY_ENCRYPTION_KEYS = secrets.dataKeyEncryptionKeys;

function cli(args, options = {}) {
  const run = spawnSync(process.execPath, [...register, 'apps/cli/src/main.ts', ...args], { cwd: root, env, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  return run.stdout;
}

// The web application the API serves at `/`, built once (npm run build:web rebuilds it).
if (!fs.existsSync(path.join(root, 'apps/web/dist/index.html'))) {
  const build = spawnSync('npm', ['run', 'build:web'], { cwd: root, env, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

cli(['migrate', '--create-database']);
cli(['seed-demo', '--if-empty']);

const quiet = env.LOG_FORMAT !== 'json' && !env.LOG_FILE;
const children = ['api', 'worker'].map((app) => {
  const logFile = quiet ? { LOG_FILE: path.join(home, 'logs', `${app}.log`) } : {};
  const child = spawn(process.execPath, [...register, `apps/${app}/src/main.ts`], { cwd: root, env: { ...env, ...logFile }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  return child;
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => children.forEach((child) => child.exitCode === null && child.kill(signal)));
}

const base = `http://localhost:${port}`;
const ready = () =>
  new Promise((resolve) => {
    const request = http.get(`${base}/ready`, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => request.destroy());
  });

(async () => {
  while (!(await ready())) {
    if (children.some((child) => child.exitCode !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say();
  say(`Maatlat is ready at ${base} (${Math.round((Date.now() - started) / 1000)} s after npm start)`);
  say(`  web application     ${base}/ (sign in as a demo persona)`);
  say(`  API documentation   ${base}/api/docs (the document: ${base}/v1/openapi.json)`);
  say(`  data directory      ${home} (demo secrets${quiet ? ', logs in logs/' : ''})`);
  if (env.LOCAL_ISSUER === 'on') {
    say('  demo tokens (local issuer; more with: npm run cli -- token --role ROLE [--org ID]):');
    for (const line of cli(['demo-tokens'], { capture: true }).trim().split('\n')) say(`    ${line}`);
    say(`  try: curl -H "Authorization: Bearer <token>" ${base}/v1/model-versions`);
  }
  say('  stop with Ctrl-C');
})();
