/**
 * Redis-style glob matching on key bytes (`*`, `?`, `[abc]`, `[^a-z]`, `\x`), for filters that
 * run on the client: the Memcached driver, the browse tree and the purge plan. Keys are matched
 * as latin1 strings so that every byte is one character and binary keys match byte for byte.
 */

export type KeyMatcher = (key: Buffer) => boolean;

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
}

/** Compiles a glob (UTF-8 text) into a RegExp over latin1-decoded key bytes. */
export function globToRegExp(glob: string): RegExp {
  const p = Buffer.from(glob, 'utf8').toString('latin1');
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      while (p[i + 1] === '*') i++;
      re += '[\\s\\S]*';
    } else if (c === '?') {
      re += '[\\s\\S]';
    } else if (c === '\\' && i + 1 < p.length) {
      re += escapeRegex(p[++i]);
    } else if (c === '[') {
      const close = p.indexOf(']', i + 2);
      if (close === -1) { re += '\\['; continue; }
      let body = p.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('^')) { negate = true; body = body.slice(1); }
      let cls = '';
      for (let j = 0; j < body.length; j++) {
        if (body[j] === '\\' && j + 1 < body.length) { cls += escapeRegex(body[++j]); continue; }
        if (body[j + 1] === '-' && j + 2 < body.length) {
          const a = body[j], b = body[j + 2];
          cls += a <= b ? `${escapeRegex(a)}-${escapeRegex(b)}` : `${escapeRegex(b)}-${escapeRegex(a)}`;
          j += 2;
          continue;
        }
        cls += escapeRegex(body[j]);
      }
      re += cls === '' ? (negate ? '[\\s\\S]' : '[^\\s\\S]') : `[${negate ? '^' : ''}${cls}]`;
      i = close;
    } else {
      re += escapeRegex(c);
    }
  }
  return new RegExp(re + '$');
}

/** A matcher over bytes [start, end) of a buffer (a key inside a packed batch). */
export type KeyRangeMatcher = (buf: Buffer, start: number, end: number) => boolean;

/**
 * A matcher for the glob over a byte range, or null when the glob matches everything (`*` or
 * empty) so callers can skip matching altogether.
 */
export function globRangeMatcher(glob: string | undefined): KeyRangeMatcher | null {
  if (glob === undefined || glob === '' || /^\*+$/.test(glob)) return null;
  // A plain prefix (`user:*`) is common enough to deserve a byte comparison.
  const prefixOnly = /^([^*?[\\]*)\*$/.exec(glob);
  if (prefixOnly) {
    const prefix = Buffer.from(prefixOnly[1], 'utf8');
    const n = prefix.length;
    return (buf, start, end) => end - start >= n && buf.compare(prefix, 0, n, start, start + n) === 0;
  }
  const re = globToRegExp(glob);
  return (buf, start, end) => re.test(buf.toString('latin1', start, end));
}

/** A matcher for the glob; `*` or an empty glob matches everything without any work. */
export function globMatcher(glob: string | undefined): KeyMatcher {
  const inRange = globRangeMatcher(glob);
  if (inRange === null) return () => true;
  return (key) => inRange(key, 0, key.length);
}
