import { useSyncExternalStore } from 'react';

export type Role = 'platform-admin' | 'coordinator' | 'respondent' | 'auditor' | 'benchmark-reader';

export interface Session {
  token: string;
  subject: string;
  roles: Role[];
  organisations: string[];
  /** For an invitation: the one assessment the respondent may answer. */
  assessmentId: string | null;
  expiresAt: number;
}

const KEY = 'maatlat.session';
const listeners = new Set<() => void>();
let current: Session | null = read();

function decode(token: string): Session | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : []);
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
    return {
      token,
      subject: payload.sub,
      roles: list(payload.roles) as Role[],
      organisations: list(payload.organisations),
      assessmentId: typeof payload.assessment === 'string' ? payload.assessment : null,
      expiresAt: payload.exp * 1000,
    };
  } catch {
    return null;
  }
}

function read(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const session = token ? decode(token) : null;
  return session && session.expiresAt > Date.now() ? session : null;
}

function publish(): void {
  for (const listener of listeners) listener();
}

/** Signs in with a bearer token (from the demo sign-in, the OpenID Connect provider or an invitation). */
export function signIn(token: string): Session | null {
  const session = decode(token);
  if (!session) return null;
  sessionStorage.setItem(KEY, token);
  current = session;
  publish();
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  current = null;
  publish();
}

export function currentSession(): Session | null {
  if (current && current.expiresAt <= Date.now()) signOut();
  return current;
}

export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

export const hasRole = (session: Session | null, ...roles: Role[]) => Boolean(session?.roles.some((role) => roles.includes(role)));
