/**
 * Removes secrets from text before it is logged or shown: credentials in URLs anywhere in the
 * text (not only at its start), `password=...` style pairs, and the arguments of AUTH commands.
 * No `vscode` import, so a unit test covers it.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s@/]*)@/gi, (_m, scheme: string, cred: string) => {
      const user = cred.includes(':') ? cred.slice(0, cred.indexOf(':')) : cred;
      return `${scheme}${user ? user + ':***' : '***'}@`;
    })
    .replace(/\b(pass(?:word)?|pwd|secret|token)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, '$1$2***')
    .replace(/\b(AUTH)\s+\S+(\s+\S+)?/g, (_m, cmd: string, second?: string) => (second ? `${cmd} *** ***` : `${cmd} ***`));
}
