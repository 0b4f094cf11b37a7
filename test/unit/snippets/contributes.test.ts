import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pascal } from '../../../src/core/snippets/options';
import { PATTERNS } from '../../../src/core/snippets/types';

const FILE = path.resolve(__dirname, '../../../../src/extension/snippets/contributes.json');

describe('snippets contributes.json', () => {
  const json = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { commands: Array<{ command: string; title: string; category: string }>; configuration: { properties: Record<string, unknown> } };

  it('declares Generate Caching Code and one command per pattern, all in the CacheLens category', () => {
    const expected = ['cachelens.generateCode', ...PATTERNS.map((p) => { const s = pascal(p); return `cachelens.generateCode.${s[0].toLowerCase()}${s.slice(1)}`; })];
    assert.deepEqual(json.commands.map((c) => c.command), expected);
    assert.equal(json.commands[0].title, 'Generate Caching Code…');
    assert.ok(json.commands.every((c) => c.category === 'CacheLens'));
  });

  it('declares the settings the extension reads', () => {
    assert.deepEqual(Object.keys(json.configuration.properties).sort(), ['cachelens.snippets.completions', 'cachelens.snippets.defaultEntity', 'cachelens.snippets.defaultTtl', 'cachelens.snippets.serializer']);
  });
});
