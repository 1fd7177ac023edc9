// `npm start`: creates the database when it is missing, then runs the API and one worker side by
// side. If either stops, the other is stopped too and the exit code is passed on.
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const register = ['-r', path.join(__dirname, 'register.js')];

const setup = spawnSync(process.execPath, [...register, 'apps/cli/src/main.ts', 'migrate', '--create-database'], { cwd: root, stdio: 'inherit' });
if (setup.status !== 0) process.exit(setup.status ?? 1);

const children = ['api', 'worker'].map((app) => {
  const child = spawn(process.execPath, [...register, `apps/${app}/src/main.ts`], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  return child;
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => children.forEach((child) => child.exitCode === null && child.kill(signal)));
}
