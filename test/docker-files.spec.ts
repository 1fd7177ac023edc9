import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs where the tests run, so the files users build from are checked for
// structure here: every instruction is known, every stage referenced exists, compose is valid.
const root = join(__dirname, '..');
const dockerfile = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(root, 'docker/compose.yml'), 'utf8'));

const INSTRUCTIONS = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

function instructions(text: string): { keyword: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword, args: rest.join(' ') };
    });
}

describe('docker/Dockerfile', () => {
  const lines = instructions(dockerfile);
  const stages = lines.filter((l) => l.keyword === 'FROM').map((l) => l.args.split(/\s+AS\s+/i)[1]);

  it('uses only known instructions', () => {
    expect(lines.filter((l) => !INSTRUCTIONS.has(l.keyword))).toEqual([]);
  });

  it('builds api, worker and cli targets from stages that exist', () => {
    expect(stages).toEqual(expect.arrayContaining(['api', 'worker', 'cli']));
    const referenced = lines.flatMap((l) => [...l.args.matchAll(/--from=(\S+)/g)].map((m) => m[1]));
    const bases = lines.filter((l) => l.keyword === 'FROM').map((l) => l.args.split(/\s+/)[0]);
    for (const stage of [...referenced, ...bases.filter((b) => !b.includes(':'))]) expect(stages).toContain(stage);
  });

  it('runs on Node 24 LTS (Node 20 reached its end of life in April 2026)', () => {
    const bases = lines.filter((l) => l.keyword === 'FROM').map((l) => l.args.split(/\s+/)[0]).filter((b) => b.includes(':'));
    expect(bases.length).toBeGreaterThan(0);
    expect(bases.filter((b) => !/^node:24(\D|$)/.test(b))).toEqual([]);
  });

  it('starts each app from its compiled output, which the build stage makes', () => {
    const build = lines.find((l) => l.keyword === 'RUN' && l.args.includes('nx run-many -t build'));
    expect(build?.args).toContain('--projects=api,worker,cli');
    for (const app of ['api', 'worker', 'cli']) {
      expect(dockerfile).toContain(`COPY --from=check /app/dist/apps/${app} ./dist/apps/${app}`);
      expect(dockerfile).toContain(`"dist/apps/${app}/main.js"`);
      // The app's build target is the one that writes dist/apps/<app>/main.js.
      const project = JSON.parse(readFileSync(join(root, `apps/${app}/project.json`), 'utf8'));
      expect(project.targets.build.command).toBe(`node scripts/build-app.js ${app}`);
    }
  });

  it('builds the web application into the place the compiled API serves it from', () => {
    const web = lines.find((l) => l.keyword === 'RUN' && l.args.includes('npm run build:web'));
    // WEB_ROOT is ../../web/dist of apps/api/src/web-application.ts, compiled to the same place under dist/apps/api.
    expect(web?.args).toContain('cp -r apps/web/dist dist/apps/api/apps/web/dist');
    expect(join('dist/apps/api/apps/api/src', '..', '..', 'web', 'dist')).toBe(join('dist/apps/api/apps/web/dist'));
    expect(readFileSync(join(root, 'apps/api/src/web-application.ts'), 'utf8')).toContain("join(__dirname, '..', '..', 'web', 'dist')");
  });

  it('ships no TypeScript, no compiler and no sources', () => {
    expect(dockerfile).not.toMatch(/register\.js|\.ts["\s]/);
    expect(lines.filter((l) => l.keyword === 'COPY' && /\/app\/(apps|libs|migrations|scripts)\b/.test(l.args))).toEqual([]);
    const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(dependencies).filter((name) => /^(typescript|@swc\/|@swc-node\/|ts-node|esbuild)/.test(name))).toEqual([]);
    expect(lines.find((l) => l.keyword === 'RUN' && l.args.includes('--omit=dev'))).toBeDefined();
  });
});

describe('docker/compose.yml', () => {
  it('runs PostgreSQL 16, Redis 7, the api and the worker', () => {
    expect(compose.services.postgres.image).toBe('postgres:16');
    expect(compose.services.redis.image).toBe('redis:7');
    expect(compose.services.api.build).toMatchObject({ dockerfile: 'docker/Dockerfile', target: 'api' });
    expect(compose.services.worker.build).toMatchObject({ dockerfile: 'docker/Dockerfile', target: 'worker' });
  });

  it('points api and worker at the compose PostgreSQL and Redis, and waits for them', () => {
    for (const name of ['api', 'worker']) {
      const service = compose.services[name];
      expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/maatlat:.*@postgres:5432\/maatlat$/);
      expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
      expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
  });
});
