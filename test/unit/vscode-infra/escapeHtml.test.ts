import { strict as assert } from 'node:assert';
import { escapeHtml } from '../../../webview/shared/escapeHtml';

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of text or a quoted attribute', () => {
    assert.equal(escapeHtml(`<img src=x onerror="a('&')">`), '&lt;img src=x onerror=&quot;a(&#39;&amp;&#39;)&quot;&gt;');
  });

  it('escapes & first, so entities are not double-decoded', () => {
    assert.equal(escapeHtml('&lt;'), '&amp;lt;');
  });

  it('leaves key names with other punctuation alone', () => {
    assert.equal(escapeHtml('user:42:profile {a} \\xff'), 'user:42:profile {a} \\xff');
  });
});
