import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mintLocalToken, ROLES, type Role } from '@maatlat/access';
import type { AppConfig } from '@maatlat/shared/config';
import { openDatabase } from '@maatlat/shared/database';
import { UsageError, type CommandResult } from './commands';

/**
 * The local issuer's secret: the configured one, or the demo's, which `npm start` keeps in the data
 * directory, so tokens minted from a second shell work against the running demo.
 */
function localIssuerSecret(config: AppConfig): string {
  if (config.auth.local) return config.auth.local.secret;
  const file = join(resolve(process.env.MAATLAT_HOME || '.maatlat'), 'demo-secrets.json');
  if (process.env.LOCAL_ISSUER !== 'off' && existsSync(file)) {
    const { localIssuerSecret: secret } = JSON.parse(readFileSync(file, 'utf8')) as { localIssuerSecret?: string };
    if (secret) return secret;
  }
  throw new UsageError('the local issuer is off: set LOCAL_ISSUER=on and LOCAL_ISSUER_SECRET (the API must use the same), or start the demo with npm start');
}

/** `cli token`: a bearer token of the local development issuer, for demos and manual testing. */
export async function mintToken(
  config: AppConfig,
  options: { roles: string[]; organisations: string[]; subject?: string; ttl?: string },
): Promise<CommandResult> {
  const secret = localIssuerSecret(config);
  if (options.roles.length === 0) throw new UsageError(`token needs at least one --role: ${ROLES.join(', ')}`);
  const unknown = options.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new UsageError(`unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  const ttlSeconds = options.ttl === undefined ? 8 * 3600 : Number(options.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 30 * 24 * 3600) throw new UsageError('--ttl must be whole seconds from 60 to 2592000');
  const token = await mintLocalToken(secret, { subject: options.subject ?? `dev-${options.roles[0]}`, roles: options.roles as Role[], organisations: options.organisations }, { ttlSeconds });
  return { output: token, exitCode: 0 };
}

/**
 * `cli demo-tokens`: a token per demo persona, one per line: the platform administrator, a
 * coordinator and an auditor of the first organisation, and a benchmark reader.
 */
export async function demoTokens(config: AppConfig): Promise<CommandResult> {
  const secret = localIssuerSecret(config);
  const database = openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 1, applicationName: 'maatlat-cli' });
  try {
    const organisation = await database.db.selectFrom('organisations').select(['organisation_id', 'name']).orderBy('name').executeTakeFirst();
    const personas: [label: string, subject: string, roles: Role[], organisations: string[]][] = [['platform-admin', 'demo-admin', ['platform-admin'], []]];
    if (organisation) {
      personas.push([`coordinator of ${organisation.name}`, 'demo-coordinator', ['coordinator'], [organisation.organisation_id]]);
      personas.push([`auditor of ${organisation.name}`, 'demo-auditor', ['auditor'], [organisation.organisation_id]]);
    }
    personas.push(['benchmark-reader', 'demo-benchmark-reader', ['benchmark-reader'], []]);
    const lines = await Promise.all(personas.map(async ([label, subject, roles, organisations]) => `${label}: ${await mintLocalToken(secret, { subject, roles, organisations })}`));
    return { output: lines.join('\n'), exitCode: 0 };
  } finally {
    await database.close();
  }
}
