import * as assert from 'node:assert/strict';
import { globMatcher } from '../../../src/core/glob';
import { displayKey, keyJson, parseKeyInput, prefixGlob } from '../../../src/core/keyname';

describe('glob matching (Redis MATCH syntax) on key bytes', () => {
  const cases: Array<[string, string, boolean]> = [
    ['user:*', 'user:1', true], ['user:*', 'user:', true], ['user:*', 'users:1', false],
    ['*', '', true], ['h?llo', 'hello', true], ['h?llo', 'hllo', false],
    ['h[ae]llo', 'hallo', true], ['h[ae]llo', 'hillo', false], ['h[^e]llo', 'hallo', true], ['h[^e]llo', 'hello', false],
    ['h[a-c]llo', 'hbllo', true], ['h[a-c]llo', 'hdllo', false], ['a\\*b', 'a*b', true], ['a\\*b', 'axb', false],
    ['*.json', 'x.json', true], ['*.json', 'xjson', false], ['a(b)c', 'a(b)c', true], ['x+y', 'x+y', true], ['x+y', 'xxy', false],
    ['*:1?', 'a:\n:12', true], ['caf\u00e9*', 'caf\u00e9:1', true],
  ];
  for (const [glob, key, want] of cases) {
    it(`${JSON.stringify(glob)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(key)}`, () => {
      assert.equal(globMatcher(glob)(Buffer.from(key, 'utf8')), want);
    });
  }
  it('matches binary bytes with ? and *', () => {
    assert.equal(globMatcher('bin:?')(Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff])), true);
    assert.equal(globMatcher('*\u00ff')(Buffer.from([0xc3, 0xbf])), true); // the glob is UTF-8 text too
    assert.equal(globMatcher('??')(Buffer.from([0xc3, 0xbf])), true); // ? is one byte, as in Redis
  });
});

describe('key names for display, input and JSON', () => {
  it('shows text keys as they are and escapes binary, control and backslash bytes like redis-cli', () => {
    assert.equal(displayKey(Buffer.from('user:42')), 'user:42');
    assert.equal(displayKey(Buffer.from('caf\u00e9')), 'caf\u00e9');
    assert.equal(displayKey(Buffer.from([0x61, 0xff, 0x00, 0x0a, 0x5c, 0x22])), 'a\\xff\\x00\\n\\\\"');
    assert.equal(displayKey(Buffer.from('back\\slash')), 'back\\\\slash');
  });
  it('parses the escaped form back to the exact bytes', () => {
    const samples = [Buffer.from([0x61, 0xff, 0x00, 0x0a, 0x5c, 0x22, 0x09]), Buffer.from('plain:key'), Buffer.from('back\\slash'), Buffer.from([0xe2, 0x82])];
    for (const key of samples) assert.deepEqual(parseKeyInput(displayKey(key)), key);
    assert.deepEqual(parseKeyInput('a\\x4'), Buffer.from('a\\x4'));
  });
  it('uses "key" for UTF-8 keys and "keyBase64" otherwise', () => {
    assert.deepEqual(keyJson(Buffer.from('k:1')), { key: 'k:1' });
    assert.deepEqual(keyJson(Buffer.from([0xff])), { keyBase64: '/w==' });
  });
  it('builds a literal MATCH pattern for a namespace, and none for a binary one', () => {
    assert.equal(prefixGlob(Buffer.from('a*b[c]:')), 'a\\*b\\[c\\]:*');
    assert.equal(prefixGlob(Buffer.from([0xff, 0x3a])), undefined);
  });
});
