/**
 * The HTML shell of every CacheLens webview. Pure string building (no `vscode`), so the Content
 * Security Policy can be checked by a plain unit test.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlParts {
  /** `webview.cspSource`: the origin the webview's own resources are served from. */
  cspSource: string;
  nonce: string;
  title: string;
  /** The webview's bundle, dist/webview/<name>.js, as a webview URI. */
  scriptUri: string;
  /** Stylesheets in order: the shared base, the bundle's own CSS if any. */
  styleUris: string[];
  /** dist/codicons/codicon.css; `vscode-icon` finds it by the id `vscode-codicon-stylesheet`. */
  codiconUri: string;
  /** Serialized into the page and read with `initialState()` before the first message arrives. */
  initialState?: unknown;
}

/** A fresh nonce per render: 128 random bits, hex so it never needs quoting. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Scripts run only with the nonce. Styles come from our own origin or carry the nonce; Lit (under
 * @vscode-elements/elements) uses constructable stylesheets, which `style-src` does not govern, and
 * sets inline styles through the CSSOM, which it allows. No network, no eval, no inline handlers.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON that is safe inside a <script> element: `<` can never close it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderWebviewHtml(p: WebviewHtmlParts): string {
  const csp = contentSecurityPolicy(p.cspSource, p.nonce);
  const styles = p.styleUris
    .map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}" nonce="${p.nonce}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeAttribute(p.title)}</title>
    <link rel="stylesheet" href="${escapeAttribute(p.codiconUri)}" nonce="${p.nonce}" id="vscode-codicon-stylesheet">
    ${styles}
  </head>
  <body>
    <div id="root"></div>
    <script type="application/json" id="cachelens-initial-state" nonce="${p.nonce}">${jsonForScript(p.initialState)}</script>
    <script src="${escapeAttribute(p.scriptUri)}" nonce="${p.nonce}"></script>
  </body>
</html>`;
}
