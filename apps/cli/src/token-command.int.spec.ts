import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVerifier } from '@maatlat/access';
import { loadConfig } from '@maatlat/shared/config';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { UsageError } from './commands';
import { demoTokens, mintToken } from './token-command';

describe('cli token and demo-tokens, from a second shell', () => {
  let database: TestDatabase;
  const secret = 'demo-local-issuer-secret-0123456789abcdef';
  const saved = { home: process.env.MAATLAT_HOME, issuer: process.env.LOCAL_ISSUER };

  beforeAll(async () => {
    database = await createTestDatabase();
    const home = mkdtempSync(join(tmpdir(), 'maatlat-home-'));
    writeFileSync(join(home, 'demo-secrets.json'), JSON.stringify({ localIssuerSecret: secret }));
    process.env.MAATLAT_HOME = home;
    delete process.env.LOCAL_ISSUER;
    await database.pool.query(`INSERT INTO organisations (organisation_id, name, organisation_type, size_band, registered_at, updated_at) VALUES ('org-1', 'Gemeente Texel', 'municipality', 'small', now(), now())`);
  });
  afterAll(async () => {
    process.env.MAATLAT_HOME = saved.home;
    if (saved.issuer !== undefined) process.env.LOCAL_ISSUER = saved.issuer;
    await database.drop();
  });

  it('mints tokens with the demo secret that npm start keeps in the data directory, which the running API accepts', async () => {
    const config = loadConfig({ DATABASE_URL: database.url });
    const { output } = await mintToken(config, { roles: ['coordinator'], organisations: ['org-1'], subject: 'anna' });
    expect(await new TokenVerifier({ local: { secret } }).verify(output)).toMatchObject({ subject: 'anna', roles: ['coordinator'], organisations: ['org-1'] });

    const personas = (await demoTokens(config)).output.split('\n');
    expect(personas.map((line) => line.slice(0, line.indexOf(':')))).toEqual(['platform-admin', 'coordinator of Gemeente Texel', 'auditor of Gemeente Texel', 'benchmark-reader']);
    const auditor = personas[2].slice(personas[2].indexOf(': ') + 2);
    expect(await new TokenVerifier({ local: { secret } }).verify(auditor)).toMatchObject({ roles: ['auditor'], organisations: ['org-1'] });
  });

  it('says how to switch the local issuer on when there is neither a configured nor a demo secret', async () => {
    process.env.MAATLAT_HOME = mkdtempSync(join(tmpdir(), 'maatlat-empty-'));
    await expect(mintToken(loadConfig({ DATABASE_URL: database.url }), { roles: ['auditor'], organisations: [] })).rejects.toThrow(UsageError);
  });
});
