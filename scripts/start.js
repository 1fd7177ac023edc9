// `npm start`: creates and migrates the database, fills an empty one with the demo platform, then
// runs the API and one worker side by side. Unless configured otherwise, the local token issuer is
// switched on for this run only, with a fresh secret, and an administrator token is printed.
// Respondents' data keys are wrapped with a key-encryption key that must outlive the run (the
// database does): unless DATA_KEY_ENCRYPTION_KEYS is set, one is made once and kept, readable by
// its owner only, in the file named below, beside the checkout and out of git.
// If either process stops, the other is stopped too and the exit code is passed on.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const register = ['-r', path.join(__dirname, 'register.js')];
const env = { ...process.env };
if (!env.LOCAL_ISSUER && !env.OIDC_ISSUER) {
  env.LOCAL_ISSUER = 'on';
  env.LOCAL_ISSUER_SECRET = randomBytes(32).toString('hex');
}
if (!env.INVITATION_SECRET) env.INVITATION_SECRET = randomBytes(32).toString('hex');
if (!env.DATA_KEY_ENCRYPTION_KEYS) {
  const file = path.join(root, '.data-key-encryption-keys.local');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, `dev:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    process.stdout.write(`made a development key-encryption key for respondents' data keys in ${path.basename(file)}: keep it as long as the database\n`);
  }
  env.DATA_KEY_ENCRYPTION_KEYS = fs.readFileSync(file, 'utf8').trim();
}

function cli(args, options = {}) {
  const run = spawnSync(process.execPath, [...register, 'apps/cli/src/main.ts', ...args], { cwd: root, env, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  return run.stdout;
}

cli(['migrate', '--create-database']);
cli(['seed-demo', '--if-empty']);
if (env.LOCAL_ISSUER === 'on') {
  const token = cli(['token', '--role', 'platform-admin', '--subject', 'demo-admin'], { capture: true }).trim();
  process.stdout.write(`\nplatform-admin token for this run (local issuer):\n  ${token}\ntry: curl -H "Authorization: Bearer <token>" http://localhost:${env.PORT || 3000}/model-versions\n\n`);
}

const children = ['api', 'worker'].map((app) => {
  const child = spawn(process.execPath, [...register, `apps/${app}/src/main.ts`], { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  return child;
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => children.forEach((child) => child.exitCode === null && child.kill(signal)));
}
