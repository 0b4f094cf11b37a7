import { CacheLensError, type ErrorReason } from '../../errors';

/** Node and OpenSSL error codes that mean the TLS handshake or the certificate failed. */
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOENT', 'EACCES']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

/** First line only, and never a password: replies may echo arguments. */
function oneLine(text: string, password?: string): string {
  let line = text.split('\n')[0].trim();
  if (password) line = line.split(password).join('***');
  return line;
}

export interface ErrorContext {
  /** Printable target (`redis://user:***@host:port/0`). */
  target: string;
  password?: string;
  /** true while connecting: a closed socket then means the server could not be reached. */
  connecting?: boolean;
  username?: string;
  /** The connection uses TLS (for hints about a TLS/plain mismatch). */
  tls?: boolean;
}

/** The reason a raw ioredis / socket / TLS error stands for. */
export function classify(e: unknown, connecting = false): ErrorReason {
  if (CacheLensError.is(e)) return e.reason;
  const code = codeOf(e);
  const msg = messageOf(e);
  if (code && TLS_CODES.has(code)) return 'tls';
  if (/certificate|SSL routines|self[- ]signed|wrong version number|tls/i.test(msg) && !/^ERR /.test(msg)) return 'tls';
  if (/^(WRONGPASS|NOAUTH)|invalid username-password|invalid password|without any password configured/i.test(msg)) return 'auth';
  if (/timed out/i.test(msg) && !connecting) return 'timeout';
  if (code && UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (code && CLOSED_CODES.has(code)) return connecting ? 'unreachable' : 'closed';
  if (/Connection is closed|Stream isn't writeable|Reached the max retries|MaxRetriesPerRequest|connection (was )?(closed|lost)|Failed to refresh slots cache|None of the sentinels are available|All sentinels are unreachable/i.test(msg)) {
    return connecting ? 'unreachable' : 'closed';
  }
  if (/^[A-Z]+ /.test(msg) || (e as { name?: string } | null)?.name === 'ReplyError') return 'server';
  return connecting ? 'unreachable' : 'protocol';
}

/** Replaces the long or internal wording of some replies with what the user should know. */
function explain(detail: string, ctx: ErrorContext): string {
  if (/^NOAUTH/.test(detail)) return 'the server requires a password';
  if (/No such master with that name/i.test(detail)) return 'the sentinels know no master by that name';
  let out = detail.replace(/ Retrying from scratch after \d+ms\./, '');
  if (ctx.connecting && !ctx.tls && /ECONNRESET/.test(out)) out += ' (if the server only speaks TLS, use rediss://)';
  if (ctx.connecting && ctx.tls && /no answer within/.test(out)) out += ' (is TLS enabled on that port?)';
  return out;
}

/** Turns anything thrown by ioredis or the socket into a CacheLensError with one clear line. */
export function toCacheLensError(e: unknown, ctx: ErrorContext): CacheLensError {
  if (CacheLensError.is(e)) return e;
  const reason = classify(e, ctx.connecting);
  const detail = explain(oneLine(messageOf(e), ctx.password), ctx);
  const who = ctx.username ? `user "${ctx.username}"` : 'the default user';
  switch (reason) {
    case 'auth':
      return new CacheLensError('auth', `authentication failed for ${who} at ${ctx.target} (${detail})`, e);
    case 'tls':
      return new CacheLensError('tls', `TLS failure with ${ctx.target}: ${detail}`, e);
    case 'unreachable':
      return new CacheLensError('unreachable', `cannot reach ${ctx.target}: ${detail}`, e);
    case 'closed':
      return new CacheLensError('closed', `the connection to ${ctx.target} was lost (${detail})`, e);
    case 'timeout':
      return new CacheLensError('timeout', `${ctx.target} did not answer in time (${detail})`, e);
    case 'server':
      return new CacheLensError('server', `${ctx.target} answered: ${detail}`, e);
    default:
      return new CacheLensError(reason, `${ctx.target}: ${detail}`, e);
  }
}
