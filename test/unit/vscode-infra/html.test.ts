import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, jsonForScript, makeNonce, renderWebviewHtml } from '../../../src/extension/webview/html';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  title: 'Analyze "prod" <db0>',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/analyze.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css'],
  codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css',
  initialState: { name: '</script><script>alert(1)</script>' },
};

describe('webview html', () => {
  it('has a strict CSP: nothing by default, scripts only with the nonce', () => {
    const csp = contentSecurityPolicy(parts.cspSource, 'n1');
    const directives = Object.fromEntries(csp.split('; ').map((d) => { const [k, ...v] = d.split(' '); return [k, v.join(' ')]; }));
    assert.deepEqual(directives, {
      'default-src': "'none'",
      'script-src': "'nonce-n1'",
      'style-src': `${parts.cspSource} 'nonce-n1'`,
      'img-src': `${parts.cspSource} data:`,
      'font-src': parts.cspSource,
    });
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https:\s|\*/);
  });

  it('puts the nonce on every script and stylesheet', () => {
    const html = renderWebviewHtml(parts);
    const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
    assert.equal(tags.length, 4);
    for (const tag of tags) assert.match(tag, /nonce="abc123"/, tag);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-abc123';/);
  });

  it('links the codicon stylesheet with the id vscode-icon looks for', () => {
    assert.match(renderWebviewHtml(parts), /<link rel="stylesheet" href="[^"]*codicon\.css" nonce="abc123" id="vscode-codicon-stylesheet">/);
  });

  it('escapes the title and cannot be broken out of by the initial state', () => {
    const html = renderWebviewHtml(parts);
    assert.match(html, /<title>Analyze &quot;prod&quot; &lt;db0&gt;<\/title>/);
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the two real script elements close');
    const json = html.match(/id="cachelens-initial-state" nonce="abc123">(.*?)<\/script>/)?.[1] ?? '';
    assert.deepEqual(JSON.parse(json), parts.initialState);
    assert.equal(jsonForScript(undefined), 'null');
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, b);
  });
});
