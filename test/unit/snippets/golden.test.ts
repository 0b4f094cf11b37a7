/**
 * Golden files: every combination in `cachelens scaffold --list` rendered with default options
 * and compared byte for byte, so any template change shows up in review.
 * UPDATE_GOLDEN=1 rewrites them (and removes goldens of combinations that no longer exist).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSnippet, listCombinations } from '../../../src/core/snippets/generate';
import type { Combination } from '../../../src/core/snippets/types';

const ROOT = path.resolve(__dirname, '../../../../test/golden/snippets');
const EXT: Record<string, string> = { typescript: 'ts', javascript: 'js', python: 'py', go: 'go', java: 'java', csharp: 'cs' };
const UPDATE = process.env.UPDATE_GOLDEN === '1';

export function goldenPath(c: Combination): string {
  return path.join(ROOT, c.pattern, `${c.lang}-${c.client}.${EXT[c.lang]}.golden`);
}

describe('snippet golden files', () => {
  const combos = listCombinations();

  if (UPDATE) {
    before(() => {
      fs.rmSync(ROOT, { recursive: true, force: true });
      for (const c of combos) {
        fs.mkdirSync(path.dirname(goldenPath(c)), { recursive: true });
        fs.writeFileSync(goldenPath(c), generateSnippet(c).code);
      }
    });
  }

  it('has exactly one golden file per listed combination', () => {
    const onDisk = fs.readdirSync(ROOT).flatMap((d) => fs.readdirSync(path.join(ROOT, d)).map((f) => path.join(ROOT, d, f))).sort();
    assert.deepEqual(onDisk, combos.map(goldenPath).sort());
  });

  for (const c of combos) {
    it(`${c.pattern} / ${c.lang} / ${c.client}`, () => {
      const expected = fs.readFileSync(goldenPath(c), 'utf8');
      assert.equal(generateSnippet(c).code, expected, `template output changed: run UPDATE_GOLDEN=1 npm run test:unit and review the diff of ${path.relative(process.cwd(), goldenPath(c))}`);
    });
  }
});
