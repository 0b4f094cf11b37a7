import * as assert from 'node:assert/strict';
import { parseArgs, opt, optList, intOpt } from '../../../src/cli/args';
import { runCli, helpText } from '../../../src/cli/main';
import { captureIO } from '../../helpers/io';
import { CacheLensError, redactUrl } from '../../../src/core/errors';

describe('cli: argument parsing', () => {
  it('parses flags, options in both forms, repeats and positionals', () => {
    const a = parseArgs(['--json', '--url', 'redis://x', '--size=10,20', '--size', '30', 'k1', '--', '--not-an-option'],
      { boolean: ['json'], string: ['url'], multiple: ['size'] });
    assert.ok(a.flags.has('json'));
    assert.equal(opt(a, 'url'), 'redis://x');
    assert.deepEqual(optList(a, 'size'), ['10', '20', '30']);
    assert.deepEqual(a.positionals, ['k1', '--not-an-option']);
  });

  it('rejects unknown options, missing values and bad numbers as usage errors', () => {
    assert.throws(() => parseArgs(['--nope'], {}), (e: unknown) => CacheLensError.is(e, 'usage') && /--nope/.test(e.message));
    assert.throws(() => parseArgs(['--url'], { string: ['url'] }), /needs a value/);
    assert.throws(() => parseArgs(['--json=1'], { boolean: ['json'] }), /takes no value/);
    assert.throws(() => intOpt(parseArgs(['--limit', '1.5'], { string: ['limit'] }), 'limit'), /whole number/);
  });

  it('exits 2 on an unknown command and 0 with help', async () => {
    const io = captureIO();
    assert.equal(await runCli(['frobnicate'], io), 2);
    assert.match(io.stderr, /unknown command "frobnicate"/);
    const io2 = captureIO();
    assert.equal(await runCli(['--help'], io2), 0);
    assert.equal(io2.stdout, helpText());
  });
});

describe('errors: redaction', () => {
  it('never shows a password from a URL', () => {
    assert.equal(redactUrl('redis://alice:hunter2@h:6379/0'), 'redis://alice:***@h:6379/0');
    assert.equal(redactUrl('redis://:hunter2@h:6379'), 'redis://***@h:6379');
    assert.equal(redactUrl('memcached://h:11211'), 'memcached://h:11211');
  });
});
