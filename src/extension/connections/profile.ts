/**
 * A saved connection: its name, URL without the password, and read-only flag. Pure, so the
 * password splitting is tested in plain Node. The password itself lives in SecretStorage.
 */
import { parseConnectionUrl } from '../../core/driver/url';
import { CacheLensError } from '../../core/errors';

export interface ConnectionProfile {
  /** Stable id, used for the SecretStorage entry and tree node ids. */
  id: string;
  name: string;
  /** The connection URL without a password (a user name may stay). */
  url: string;
  /** Every write path (delete, purge, edit, TTL, rename, flush, tag invalidation) refuses. */
  readOnly: boolean;
}

/**
 * Takes the password out of a URL: `redis://u:p@h` becomes `redis://u@h` and `p` (decoded).
 * The last '@' before the query ends the credentials, as the URL parser reads it.
 */
export function splitPassword(url: string): { url: string; password: string | undefined } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(url.trim());
  if (!m) return { url: url.trim(), password: undefined };
  const [, scheme, rest] = m;
  const q = rest.search(/[?#]/);
  const head = q >= 0 ? rest.slice(0, q) : rest;
  const tail = q >= 0 ? rest.slice(q) : '';
  const at = head.lastIndexOf('@');
  if (at < 0) return { url: scheme + rest, password: undefined };
  const cred = head.slice(0, at);
  const colon = cred.indexOf(':');
  if (colon < 0) return { url: scheme + rest, password: undefined };
  const user = cred.slice(0, colon);
  const rawPassword = cred.slice(colon + 1);
  let password: string;
  try {
    password = decodeURIComponent(rawPassword);
  } catch {
    password = rawPassword;
  }
  const kept = user === '' ? '' : `${user}@`;
  return { url: scheme + kept + head.slice(at + 1) + tail, password: password === '' ? undefined : password };
}

/** Checks a URL the user typed; returns a one-line problem or undefined when it parses. */
export function validateUrl(url: string): string | undefined {
  try {
    parseConnectionUrl(url.trim());
    return undefined;
  } catch (e) {
    return CacheLensError.is(e) ? e.message : 'not a connection URL';
  }
}

/** A readable default name from a URL: "redis 127.0.0.1:6379". */
export function defaultName(url: string): string {
  const m = /^([a-z+]+):\/\/(?:[^@/?]*@)?([^/?#]*)/i.exec(url.trim());
  if (!m) return url;
  const kind = m[1].toLowerCase().startsWith('memcached') ? 'memcached' : 'redis';
  return `${kind} ${m[2] || 'socket'}`;
}

/** Reads profiles from settings tolerantly: malformed entries are skipped, not fatal. */
export function readProfiles(raw: unknown): ConnectionProfile[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  const out: ConnectionProfile[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, name, url, readOnly } = item as Record<string, unknown>;
    if (typeof id !== 'string' || typeof url !== 'string' || seen.has(id)) continue;
    seen.add(id);
    // A password typed into settings.json by hand is never used from there.
    out.push({ id, name: typeof name === 'string' && name ? name : defaultName(url), url: splitPassword(url).url, readOnly: readOnly === true });
  }
  return out;
}

export function newProfileId(): string {
  return `c${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
