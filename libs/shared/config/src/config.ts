/** The platform's configuration, read once from the environment and checked before anything starts. */
export interface AppConfig {
  databaseUrl: string;
  /**
   * Redis for the job queues (BullMQ). Unset: the worker runs the jobs itself from the outbox table
   * in PostgreSQL, under the same contract (the embedded mode of `npm start`).
   */
  redisUrl?: string;
  port: number;
  /** Redis key prefix of the job queues, so several platforms (or test runs) can share a Redis. */
  queuePrefix: string;
  /** Who may sign the bearer tokens the API accepts. */
  auth: AuthConfig;
  /** How often a failing job is tried, and the first pause between tries (doubling after each). */
  jobs: { attempts: number; backoffMs: number; concurrency: number; lockMs: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Which proxies in front of the API to trust for the client's address (Express's `trust proxy`):
   * false (none: the socket's address), true, a number of hops, or addresses and subnets.
   */
  trustProxy: boolean | number | string[];
  /** A file for the JSON logs instead of standard output (npm start keeps the terminal for people). */
  logFile?: string;
  /** Bounds on waiting for PostgreSQL, so a stuck database gives a 503, never a request that hangs. */
  databaseTimeouts: DatabaseTimeouts;
  /**
   * The key-encryption keys that wrap respondents' data keys, kept out of the database. Optional
   * here, required by every process that handles personal data (`requireDataKeyEncryption`).
   */
  dataKeyEncryption?: DataKeyEncryptionConfig;
  /** Fewest distinct organisations a benchmark figure is shown for (k-anonymity); never below 5. */
  benchmarkMinGroup: number;
  /** How long an Idempotency-Key is remembered (from its first use): then it is purged, and may be used again. */
  idempotencyKeyRetentionHours: number;
  /** The platform's Ed25519 key that signs checkpoints of the log; without it none are recorded. */
  signingKey?: SigningKeyConfig;
  /** How often the worker records a signed checkpoint of the log (when it moved), in milliseconds; 0: only on demand. */
  checkpointIntervalMs: number;
  /** The licence of the published open data (a URI). */
  openDataLicence: string;
  /** Who publishes the open data (DCAT-AP `dct:publisher`): a name, and the organisation's URI when known. */
  openDataPublisher: { name: string; uri?: string };
  /** The Chromium that prints reports to PDF; unset: `chromium` (or `chromium-browser`) on the PATH. */
  chromiumPath?: string;
  /** Where the public dataset is served (absolute, without a trailing slash): the identifiers in its metadata. */
  openDataBaseUrl: string;
}

/** An Ed25519 private key by its 32-byte seed, and the id published beside its public key. */
export interface SigningKeyConfig {
  keyId: string;
  seed: Buffer;
}

export const SIGNING_KEY = 'SIGNING_KEY';
export const CC0_LICENCE = 'http://creativecommons.org/publicdomain/zero/1.0/';

export interface DatabaseTimeouts {
  /** Longest a statement may run before PostgreSQL cancels it. */
  statementMs: number;
  /** Longest a statement waits for a lock (a table locked by maintenance, say). */
  lockMs: number;
  /** Longest to wait for a connection: to open one, or for a free one in the pool. */
  connectMs: number;
}

/** Key-encryption keys by id: the first wraps new data keys, the others still unwrap (rotation). */
export interface DataKeyEncryptionConfig {
  keys: { id: string; key: Buffer }[];
}

export interface AuthConfig {
  /** OpenID Connect: the issuer (`iss`) and its JWKS; roles and organisations come from claims. */
  oidc?: { issuer: string; jwksUrl: string; audience: string; rolesClaim: string; organisationsClaim: string; clientId?: string };
  /** Development and demo: tokens minted by `cli token`, signed with a shared secret. Off unless switched on. */
  local?: { secret: string };
  /** Invitation tokens: a respondent's access to one assessment, signed by the platform. */
  invitations?: { secret: string };
}

export const INVITATION_ISSUER = 'maatlat-invitation';

export const LOCAL_ISSUER = 'maatlat-local';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/maatlat';

/** A configuration problem, phrased as the one line an operator needs: variable and problem. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the configuration.
 * @example loadConfig({ PORT: '8080' }).port === 8080
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  return {
    databaseUrl: urlVariable(env, 'DATABASE_URL', DEFAULT_DATABASE_URL, ['postgres:', 'postgresql:'], true),
    ...(present(env, 'REDIS_URL') ? { redisUrl: urlVariable(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'], false) } : {}),
    port: portVariable(env, 'PORT', 3000),
    queuePrefix: prefixVariable(env, 'QUEUE_PREFIX', 'maatlat'),
    auth: authConfig(env),
    jobs: {
      attempts: wholeNumber(env, 'JOB_ATTEMPTS', 5, 1, 50),
      backoffMs: wholeNumber(env, 'JOB_BACKOFF_MS', 1000, 1, 3_600_000),
      concurrency: wholeNumber(env, 'JOB_CONCURRENCY', 4, 1, 64),
      lockMs: wholeNumber(env, 'JOB_LOCK_MS', 30_000, 500, 600_000),
    },
    logLevel: choiceVariable(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    trustProxy: trustProxyVariable(env),
    ...(present(env, 'LOG_FILE') ? { logFile: present(env, 'LOG_FILE') } : {}),
    databaseTimeouts: {
      statementMs: wholeNumber(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000),
      lockMs: wholeNumber(env, 'DATABASE_LOCK_TIMEOUT_MS', 3_000, 100, 3_600_000),
      connectMs: wholeNumber(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    },
    dataKeyEncryption: dataKeyEncryptionConfig(env),
    benchmarkMinGroup: wholeNumber(env, 'BENCHMARK_MIN_GROUP', 5, 5, 1000),
    idempotencyKeyRetentionHours: wholeNumber(env, 'IDEMPOTENCY_KEY_RETENTION_HOURS', 24, 1, 8760),
    signingKey: signingKeyConfig(env),
    checkpointIntervalMs: Math.round(minutesVariable(env, 'CHECKPOINT_INTERVAL_MINUTES', 60, 10_080) * 60_000),
    openDataLicence: openDataLicence(env),
    openDataPublisher: {
      name: present(env, 'OPEN_DATA_PUBLISHER') ?? 'Maatlat',
      uri: present(env, 'OPEN_DATA_PUBLISHER_URI') === undefined ? undefined : urlVariable(env, 'OPEN_DATA_PUBLISHER_URI', 'https://identifier.overheid.nl/tooi/id/ministerie/mnre1034', ['http:', 'https:'], true),
    },
    chromiumPath: env.CHROMIUM_PATH?.trim() || undefined,
    openDataBaseUrl: urlVariable(env, 'OPEN_DATA_BASE_URL', 'http://localhost:3000/open-data', ['http:', 'https:'], false).replace(/\/+$/, ''),
  };
}

export const DATA_KEY_ENCRYPTION_KEYS = 'DATA_KEY_ENCRYPTION_KEYS';

/**
 * The key-encryption keys, for a process that handles personal data: without them it must not
 * start, since data keys could be neither made nor read.
 */
export function requireDataKeyEncryption(config: Pick<AppConfig, 'dataKeyEncryption'>): DataKeyEncryptionConfig {
  if (!config.dataKeyEncryption) {
    throw new ConfigError(DATA_KEY_ENCRYPTION_KEYS, 'is required: the key-encryption key(s) that wrap respondents\' data keys, as id:key[,id:key...] with 32-byte keys in base64 or hex, the first for new keys (e.g. k1:$(openssl rand -base64 32))');
  }
  return config.dataKeyEncryption;
}

/** `id:key,id:key`: 32-byte keys in base64 (or base64url) or hex; the first wraps, all unwrap. */
function dataKeyEncryptionConfig(env: Record<string, string | undefined>): DataKeyEncryptionConfig | undefined {
  const value = present(env, DATA_KEY_ENCRYPTION_KEYS);
  if (value === undefined) return undefined;
  const keys = value.split(',').map((entry, index) => {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator).trim();
    const text = entry.slice(separator + 1).trim();
    // Key material never goes into an error line: entries are named by position and id only.
    if (separator < 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new ConfigError(DATA_KEY_ENCRYPTION_KEYS, `entry ${index + 1} must be written id:key, the id of 1 to 32 letters, digits, '-' or '_'`);
    }
    const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(text) ? Buffer.from(text, 'base64') : undefined;
    if (!key || key.length !== 32) throw new ConfigError(DATA_KEY_ENCRYPTION_KEYS, `the key of "${id}" must be 32 bytes, in base64 (44 characters) or hex (64)`);
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const doubled = ids.find((id, i) => ids.indexOf(id) !== i);
  if (doubled) throw new ConfigError(DATA_KEY_ENCRYPTION_KEYS, `the key id "${doubled}" is used twice`);
  return { keys };
}

/** `id:seed`: the 32-byte Ed25519 seed in base64 (or base64url) or hex. */
function signingKeyConfig(env: Record<string, string | undefined>): SigningKeyConfig | undefined {
  const value = present(env, SIGNING_KEY);
  if (value === undefined) return undefined;
  const separator = value.indexOf(':');
  const keyId = value.slice(0, separator).trim();
  const text = value.slice(separator + 1).trim();
  // Key material never goes into an error line.
  if (separator < 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(keyId)) throw new ConfigError(SIGNING_KEY, "must be written id:key, the id of 1 to 32 letters, digits, '-' or '_'");
  const seed = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (!seed || seed.length !== 32) throw new ConfigError(SIGNING_KEY, 'the key must be a 32-byte Ed25519 seed, in base64 (44 characters) or hex (64)');
  return { keyId, seed };
}

function openDataLicence(env: Record<string, string | undefined>): string {
  const value = present(env, 'OPEN_DATA_LICENCE') ?? CC0_LICENCE;
  try {
    new URL(value);
  } catch {
    throw new ConfigError('OPEN_DATA_LICENCE', `must be the licence's URI (e.g. ${CC0_LICENCE})`);
  }
  return value;
}

function present(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function urlVariable(
  env: Record<string, string | undefined>,
  name: string,
  fallback: string,
  protocols: string[],
  needsPath: boolean,
): string {
  const value = present(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `is not a valid URL (expected e.g. ${fallback})`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${url.protocol}//`);
  }
  if (!url.hostname) throw new ConfigError(name, 'names no host');
  if (needsPath && url.pathname.replace(/^\//, '') === '') {
    throw new ConfigError(name, 'names no database (expected e.g. .../maatlat)');
  }
  return value;
}

function trustProxyVariable(env: Record<string, string | undefined>): boolean | number | string[] {
  const value = present(env, 'TRUST_PROXY');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  const valid = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;
  const wrong = entries.filter((entry) => !valid.test(entry));
  if (wrong.length) throw new ConfigError('TRUST_PROXY', `must be true, false, a number of hops, or addresses and subnets (loopback, 10.0.0.0/8, ...); not ${wrong.join(', ')}`);
  return entries;
}

function wholeNumber(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const value = present(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

/** A number of minutes from 0 to `max`, fractions allowed (0.5 = 30 seconds). */
function minutesVariable(env: Record<string, string | undefined>, name: string, fallback: number, max: number): number {
  const value = present(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > max) throw new ConfigError(name, `must be a number of minutes from 0 to ${max} (0: off), got "${value}"`);
  return Number(value);
}

function portVariable(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = present(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new ConfigError(name, `must be a whole number from 1 to 65535, got "${value}"`);
  }
  return Number(value);
}

function prefixVariable(env: Record<string, string | undefined>, name: string, fallback: string): string {
  const value = present(env, name) ?? fallback;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new ConfigError(name, `may hold only letters, digits, '-' and '_', got "${value}"`);
  return value;
}

function authConfig(env: Record<string, string | undefined>): AuthConfig {
  const auth: AuthConfig = {};
  const issuer = present(env, 'OIDC_ISSUER');
  const jwksUrl = present(env, 'OIDC_JWKS_URL');
  if (issuer || jwksUrl) {
    if (!issuer) throw new ConfigError('OIDC_ISSUER', 'is required when OIDC_JWKS_URL is set');
    if (!jwksUrl) throw new ConfigError('OIDC_JWKS_URL', 'is required when OIDC_ISSUER is set');
    urlVariable(env, 'OIDC_JWKS_URL', jwksUrl, ['https:', 'http:'], false);
    auth.oidc = {
      issuer,
      jwksUrl,
      audience: present(env, 'OIDC_AUDIENCE') ?? 'maatlat',
      rolesClaim: present(env, 'OIDC_ROLES_CLAIM') ?? 'roles',
      organisationsClaim: present(env, 'OIDC_ORGANISATIONS_CLAIM') ?? 'organisations',
    };
    // The web application's public client (authorisation code with PKCE, no secret).
    const clientId = present(env, 'OIDC_CLIENT_ID');
    if (clientId) auth.oidc.clientId = clientId;
  }
  const local = present(env, 'LOCAL_ISSUER');
  if (local !== undefined && !['on', 'off'].includes(local)) throw new ConfigError('LOCAL_ISSUER', `must be on or off, got "${local}"`);
  if (local === 'on') {
    const secret = present(env, 'LOCAL_ISSUER_SECRET');
    if (!secret || secret.length < 32) throw new ConfigError('LOCAL_ISSUER_SECRET', 'must be set, at least 32 characters, when LOCAL_ISSUER=on');
    auth.local = { secret };
  }
  const invitationSecret = present(env, 'INVITATION_SECRET');
  if (invitationSecret !== undefined) {
    if (invitationSecret.length < 32) throw new ConfigError('INVITATION_SECRET', 'must be at least 32 characters long');
    auth.invitations = { secret: invitationSecret };
  }
  return auth;
}

function choiceVariable<T extends string>(
  env: Record<string, string | undefined>,
  name: string,
  fallback: T,
  choices: readonly T[],
): T {
  const value = present(env, name);
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

/** A URL with its password masked, safe for logs and error lines. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
