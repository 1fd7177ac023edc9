// `npm start`: creates and migrates the database, fills an empty one with the demo platform, then
// runs the API and one worker side by side. Unless configured otherwise, the local token issuer is
// switched on for this run only, with a fresh secret, and an administrator token is printed.
// If either process stops, the other is stopped too and the exit code is passed on.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const root = path.join(__dirname, '..');
const register = ['-r', path.join(__dirname, 'register.js')];
const env = { ...process.env };
if (!env.LOCAL_ISSUER && !env.OIDC_ISSUER) {
  env.LOCAL_ISSUER = 'on';
  env.LOCAL_ISSUER_SECRET = randomBytes(32).toString('hex');
}
if (!env.INVITATION_SECRET) env.INVITATION_SECRET = randomBytes(32).toString('hex');

function cli(args, options = {}) {
  const run = spawnSync(process.execPath, [...register, 'apps/cli/src/main.ts', ...args], { cwd: root, env, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  return run.stdout;
}

cli(['migrate', '--create-database']);
cli(['seed-demo', '--if-empty']);
if (env.LOCAL_ISSUER === 'on') {
  const token = cli(['token', '--role', 'platform-admin', '--subject', 'demo-admin'], { capture: true }).trim();
  process.stdout.write(`\nplatform-admin token for this run (local issuer):\n  ${token}\ntry: curl -H "Authorization: Bearer <token>" http://localhost:${env.PORT || 3000}/v1/model-versions\n\n`);
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
