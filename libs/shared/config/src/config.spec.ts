import { ConfigError, loadConfig, redactUrl, requireDataKeyEncryption } from './config';

describe('loadConfig', () => {
  it.each([
    ['true', true],
    ['2', 2],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('refuses a TRUST_PROXY it cannot read, naming it', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow('TRUST_PROXY: must be true, false, a number of hops, or addresses and subnets (loopback, 10.0.0.0/8, ...); not everyone');
  });

  it('falls back to the local PostgreSQL and port 3000, and to no Redis (the worker then runs the jobs from the outbox)', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/maatlat',
      port: 3000,
      queuePrefix: 'maatlat',
      auth: {},
      jobs: { attempts: 5, backoffMs: 1000, concurrency: 4, lockMs: 30_000 },
      logLevel: 'info',
      databaseTimeouts: { statementMs: 15_000, lockMs: 3_000, connectMs: 5_000 },
      trustProxy: false,
      benchmarkMinGroup: 5,
      idempotencyKeyRetentionHours: 24,
      openDataLicence: 'http://creativecommons.org/publicdomain/zero/1.0/',
      openDataPublisher: { name: 'Maatlat' },
      checkpointIntervalMs: 3_600_000,
      openDataBaseUrl: 'http://localhost:3000/open-data',
    });
  });

  it('reads the checkpoint signing key as id:seed, and names the variable without the key when it is wrong', () => {
    expect(loadConfig({ SIGNING_KEY: `c1:${'ab'.repeat(32)}` }).signingKey).toEqual({ keyId: 'c1', seed: Buffer.alloc(32, 0xab) });
    expect(() => loadConfig({ SIGNING_KEY: 'c1:short' })).toThrow(/SIGNING_KEY.*32-byte Ed25519 seed/);
    expect(loadConfig({}).checkpointIntervalMs).toBe(3_600_000);
    expect(loadConfig({ CHECKPOINT_INTERVAL_MINUTES: '0' }).checkpointIntervalMs).toBe(0);
    expect(loadConfig({ CHECKPOINT_INTERVAL_MINUTES: '0.5' }).checkpointIntervalMs).toBe(30_000);
    expect(() => loadConfig({ CHECKPOINT_INTERVAL_MINUTES: '-1' })).toThrow(/CHECKPOINT_INTERVAL_MINUTES.*number of minutes/);
    expect(() => loadConfig({ OPEN_DATA_LICENCE: 'cc0' })).toThrow(/OPEN_DATA_LICENCE/);
    expect(loadConfig({}).openDataPublisher).toEqual({ name: 'Maatlat', uri: undefined });
    expect(loadConfig({ OPEN_DATA_PUBLISHER: 'Gemeente Utrecht', OPEN_DATA_PUBLISHER_URI: 'https://identifier.overheid.nl/tooi/id/gemeente/gm0344' }).openDataPublisher).toEqual({
      name: 'Gemeente Utrecht',
      uri: 'https://identifier.overheid.nl/tooi/id/gemeente/gm0344',
    });
    expect(() => loadConfig({ OPEN_DATA_PUBLISHER_URI: 'gm0344' })).toThrow(/OPEN_DATA_PUBLISHER_URI/);
    expect(loadConfig({ OPEN_DATA_BASE_URL: 'https://data.maatlat.example/open-data/' }).openDataBaseUrl).toBe('https://data.maatlat.example/open-data');
    expect(() => loadConfig({ OPEN_DATA_BASE_URL: '/open-data' })).toThrow(/OPEN_DATA_BASE_URL/);
    expect(() => loadConfig({ OPEN_DATA_BASE_URL: 'ftp://data.example/open-data' })).toThrow(/OPEN_DATA_BASE_URL/);
  });

  it('reads the variables that are set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://app@db:5432/m', REDIS_URL: 'redis://cache:6380', PORT: '8080', IDEMPOTENCY_KEY_RETENTION_HOURS: '48' });
    expect(config).toMatchObject({ databaseUrl: 'postgresql://app@db:5432/m', redisUrl: 'redis://cache:6380', port: 8080, idempotencyKeyRetentionHours: 48 });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number from 1 to 65535, got "abc"'],
    [{ BENCHMARK_MIN_GROUP: '4' }, 'BENCHMARK_MIN_GROUP: must be a whole number from 5 to 1000, got "4"'],
    [{ IDEMPOTENCY_KEY_RETENTION_HOURS: '0' }, 'IDEMPOTENCY_KEY_RETENTION_HOURS: must be a whole number from 1 to 8760, got "0"'],
    [{ PORT: '70000' }, 'PORT: must be a whole number from 1 to 65535, got "70000"'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL: is not a valid URL (expected e.g. postgres://postgres@127.0.0.1:5432/maatlat)'],
    [{ DATABASE_URL: 'mysql://x@h/db' }, 'DATABASE_URL: must start with postgres:// or postgresql://, got mysql://'],
    [{ DATABASE_URL: 'postgres://x@h:5432/' }, 'DATABASE_URL: names no database (expected e.g. .../maatlat)'],
    [{ REDIS_URL: 'http://h:6379' }, 'REDIS_URL: must start with redis:// or rediss://, got http://'],
    [{ QUEUE_PREFIX: 'a:b' }, `QUEUE_PREFIX: may hold only letters, digits, '-' and '_', got "a:b"`],
    [{ LOCAL_ISSUER: 'on' }, 'LOCAL_ISSUER_SECRET: must be set, at least 32 characters, when LOCAL_ISSUER=on'],
    [{ LOCAL_ISSUER: 'yes' }, 'LOCAL_ISSUER: must be on or off, got "yes"'],
    [{ OIDC_ISSUER: 'https://login.example.nl' }, 'OIDC_JWKS_URL: is required when OIDC_ISSUER is set'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message.split(':')[0], message.slice(message.indexOf(':') + 2)));
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the identity providers it trusts', () => {
    const { auth } = loadConfig({
      OIDC_ISSUER: 'https://login.example.nl',
      OIDC_JWKS_URL: 'https://login.example.nl/jwks',
      OIDC_ROLES_CLAIM: 'maatlat_roles',
      LOCAL_ISSUER: 'on',
      LOCAL_ISSUER_SECRET: 'a'.repeat(32),
    });
    expect(auth).toEqual({
      oidc: { issuer: 'https://login.example.nl', jwksUrl: 'https://login.example.nl/jwks', audience: 'maatlat', rolesClaim: 'maatlat_roles', organisationsClaim: 'organisations' },
      local: { secret: 'a'.repeat(32) },
    });
  });

  describe('the key-encryption keys of respondents\' data keys', () => {
    const base64 = Buffer.alloc(32, 1).toString('base64');
    const hex = Buffer.alloc(32, 2).toString('hex');

    it('are read by id, the first for new wraps, in base64 or hex', () => {
      expect(loadConfig({ DATA_KEY_ENCRYPTION_KEYS: `k2:${base64}, k1:${hex}` }).dataKeyEncryption).toEqual({
        keys: [
          { id: 'k2', key: Buffer.alloc(32, 1) },
          { id: 'k1', key: Buffer.alloc(32, 2) },
        ],
      });
    });

    it('are required by whatever handles personal data, with one line naming the variable', () => {
      expect(() => requireDataKeyEncryption(loadConfig({}))).toThrow(ConfigError);
      expect(() => requireDataKeyEncryption(loadConfig({}))).toThrow(/^DATA_KEY_ENCRYPTION_KEYS: is required/);
    });

    it.each([
      [base64, 'DATA_KEY_ENCRYPTION_KEYS: entry 1 must be written id:key'],
      [`k1:${Buffer.alloc(16).toString('base64')}`, 'DATA_KEY_ENCRYPTION_KEYS: the key of "k1" must be 32 bytes'],
      [`k1:${base64},k1:${hex}`, 'DATA_KEY_ENCRYPTION_KEYS: the key id "k1" is used twice'],
      [`k 1:${base64}`, 'DATA_KEY_ENCRYPTION_KEYS: entry 1 must be written id:key'],
    ])('refuses %s without repeating the key', (value, message) => {
      let thrown: Error | undefined;
      try {
        loadConfig({ DATA_KEY_ENCRYPTION_KEYS: value });
      } catch (error) {
        thrown = error as Error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(thrown!.message.startsWith(message)).toBe(true);
      expect(thrown!.message).not.toContain(base64);
      expect(thrown!.message).not.toContain(hex);
    });
  });

  it('masks passwords when a URL is logged', () => {
    expect(redactUrl('postgres://app:secret@db:5432/m')).toBe('postgres://app:***@db:5432/m');
  });
});
