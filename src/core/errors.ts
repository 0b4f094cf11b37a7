/**
 * Expected failures are typed: they carry a machine-readable reason, a message fit for a
 * person (never a password), and the original error. The CLI prints `message` on one line;
 * the extension shows it in a notification.
 */
export type ErrorReason =
  | 'usage'            // bad arguments or bad URL
  | 'unreachable'      // connect refused, DNS, timeout
  | 'auth'             // wrong user/password, NOAUTH, WRONGPASS, SASL failure
  | 'tls'              // certificate or handshake failure
  | 'timeout'          // an operation took too long
  | 'closed'           // the server went away mid-operation
  | 'protocol'         // a malformed or unexpected reply
  | 'unsupported'      // the server or connection cannot do this (e.g. listing keys on SASL memcached)
  | 'readonly'         // the connection is marked read-only and this is a write
  | 'cancelled'        // the user cancelled
  | 'input'            // malformed input file (trace, key file)
  | 'server';          // the server answered with an error

export class CacheLensError extends Error {
  override readonly name = 'CacheLensError';
  constructor(
    readonly reason: ErrorReason,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }

  static is(e: unknown, reason?: ErrorReason): e is CacheLensError {
    return e instanceof CacheLensError && (reason === undefined || e.reason === reason);
  }
}

/** Removes `user:password@` style credentials from anything that may be shown or logged. */
export function redactUrl(url: string): string {
  // Up to the last '@' of the first word: parseConnectionUrl accepts unencoded '@' and '/' in passwords.
  return url.replace(/^([a-z+]+:\/\/)([^\s?#]*)@/i, (_m, scheme: string, cred: string) => {
    const user = cred.includes(':') ? cred.slice(0, cred.indexOf(':')) : cred;
    return `${scheme}${user ? user + ':***' : '***'}@`;
  });
}
