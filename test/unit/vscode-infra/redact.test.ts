import { strict as assert } from 'node:assert';
import { redactSecrets } from '../../../src/extension/redact';

describe('log redaction', () => {
  it('hides URL credentials anywhere in a line', () => {
    assert.equal(
      redactSecrets('connect to redis://alice:s3cret@127.0.0.1:6379/0 failed; fallback rediss://:pw@h:1'),
      'connect to redis://alice:***@127.0.0.1:6379/0 failed; fallback rediss://***@h:1',
    );
  });

  it('hides password=, token: and AUTH arguments', () => {
    const out = redactSecrets('opts password=hunter2, token: "abc def" then AUTH bob hunter2');
    assert.doesNotMatch(out, /hunter2|abc def/);
    assert.equal(out, 'opts password=***, token: *** then AUTH *** ***');
  });

  it('leaves ordinary text alone', () => {
    const text = 'NOAUTH Authentication required. WRONGPASS invalid username-password pair';
    assert.equal(redactSecrets(text), text);
    assert.equal(redactSecrets('memcached://127.0.0.1:11211'), 'memcached://127.0.0.1:11211');
  });
});
