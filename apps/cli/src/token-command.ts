import { mintLocalToken, ROLES, type Role } from '@maatlat/access';
import type { AppConfig } from '@maatlat/shared/config';
import { UsageError, type CommandResult } from './commands';

/** `cli token`: a bearer token of the local development issuer, for demos and manual testing. */
export async function mintToken(
  config: AppConfig,
  options: { roles: string[]; organisations: string[]; subject?: string; ttl?: string },
): Promise<CommandResult> {
  if (!config.auth.local) throw new UsageError('the local issuer is off: set LOCAL_ISSUER=on and LOCAL_ISSUER_SECRET (the API must use the same)');
  if (options.roles.length === 0) throw new UsageError(`token needs at least one --role: ${ROLES.join(', ')}`);
  const unknown = options.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new UsageError(`unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  const ttlSeconds = options.ttl === undefined ? 8 * 3600 : Number(options.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 30 * 24 * 3600) throw new UsageError('--ttl must be whole seconds from 60 to 2592000');
  const token = await mintLocalToken(
    config.auth.local.secret,
    { subject: options.subject ?? `dev-${options.roles[0]}`, roles: options.roles as Role[], organisations: options.organisations },
    { ttlSeconds },
  );
  return { output: token, exitCode: 0 };
}
