import * as assert from 'node:assert/strict';
import { defaultName, readProfiles, splitPassword, validateUrl } from '../../../src/extension/connections/profile';
import { parseConnectionUrl } from '../../../src/core/driver/url';
import { keyTargetOf, keyTargetsOf } from '../../../src/extension/explorer/targets';

describe('connection profiles', () => {
  it('takes the password out of a URL and keeps the user, path and query', () => {
    assert.deepEqual(splitPassword('redis://alice:s3cret@127.0.0.1:6380/2?protocol=2'),
      { url: 'redis://alice@127.0.0.1:6380/2?protocol=2', password: 's3cret' });
    assert.deepEqual(splitPassword('redis://:only@host'), { url: 'redis://host', password: 'only' });
    assert.deepEqual(splitPassword('memcached://u:p%40ss@h:11211'), { url: 'memcached://u@h:11211', password: 'p@ss' });
    assert.deepEqual(splitPassword('redis://host:6379'), { url: 'redis://host:6379', password: undefined });
    assert.deepEqual(splitPassword('redis://bob@host'), { url: 'redis://bob@host', password: undefined });
  });

  it('reads an unencoded @ in a password the way the URL parser does', () => {
    const url = 'redis://u:a@b@127.0.0.1:6379';
    const split = splitPassword(url);
    assert.equal(split.password, parseConnectionUrl(url).password);
    assert.equal(split.url, 'redis://u@127.0.0.1:6379');
    assert.equal(parseConnectionUrl(split.url).password, undefined);
  });

  it('validates URLs with the driver parser and names them', () => {
    assert.equal(validateUrl('redis://127.0.0.1:6379'), undefined);
    assert.match(validateUrl('http://x') ?? '', /scheme/);
    assert.equal(defaultName('memcached://u:p@10.0.0.1:11211'), 'memcached 10.0.0.1:11211');
    assert.equal(defaultName('rediss://h:6380/1'), 'redis h:6380');
  });

  it('reads settings tolerantly and never keeps a password found there', () => {
    const profiles = readProfiles([
      { id: 'a', name: 'A', url: 'redis://u:leaked@h:1', readOnly: true },
      { id: 'a', name: 'dup', url: 'redis://h:2' },
      { name: 'no id', url: 'redis://h:3' },
      'junk',
      { id: 'b', url: 'memcached://h:11211' },
    ]);
    assert.deepEqual(profiles, [
      { id: 'a', name: 'A', url: 'redis://u@h:1', readOnly: true },
      { id: 'b', name: 'memcached h:11211', url: 'memcached://h:11211', readOnly: false },
    ]);
    assert.deepEqual(readProfiles(undefined), []);
  });

  it('reads key targets from tree nodes, UTF-8 names and base64 bytes', () => {
    const raw = Buffer.from([0xff, 0x00, 0x41]);
    assert.deepEqual(keyTargetOf({ connectionId: 'c', key: raw }), { connectionId: 'c', key: raw });
    assert.deepEqual(keyTargetOf({ connectionId: 'c', keyBase64: raw.toString('base64') }), { connectionId: 'c', key: raw });
    assert.deepEqual(keyTargetOf({ connectionId: 'c', key: 'user:1' }), { connectionId: 'c', key: Buffer.from('user:1') });
    assert.equal(keyTargetOf({ key: 'no connection' }), undefined);
    assert.equal(keyTargetOf('c'), undefined);
    const a = { connectionId: 'c', key: 'a' };
    const b = { connectionId: 'c', key: 'b' };
    assert.deepEqual(keyTargetsOf(a, [a, b]).map((t) => t.key.toString()), ['a', 'b'], 'a multi-selection wins over the clicked node');
    assert.deepEqual(keyTargetsOf(a, undefined).map((t) => t.key.toString()), ['a']);
  });
});
