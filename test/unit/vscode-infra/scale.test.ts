import { strict as assert } from 'node:assert';
import { downsampleForPixels, extentOf, formatBytes, formatNumber, linearScale, niceTicks, padExtent } from '../../../webview/shared/chart/scale';

describe('chart scale', () => {
  it('extentOf skips non-finite values and extends a previous extent', () => {
    assert.deepEqual(extentOf([3, NaN, -2, Infinity, 7]), { min: -2, max: 7 });
    assert.equal(extentOf([NaN]), undefined);
    assert.deepEqual(extentOf([5], { min: 0, max: 1 }), { min: 0, max: 5 });
  });

  it('padExtent widens a flat extent', () => {
    assert.deepEqual(padExtent({ min: 0, max: 0 }), { min: -1, max: 1 });
    assert.deepEqual(padExtent({ min: 50, max: 50 }), { min: 45, max: 55 });
  });

  it('niceTicks steps by 1, 2 or 5 times a power of ten and covers the extent', () => {
    assert.deepEqual(niceTicks({ min: 0, max: 1 }, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
    const t = niceTicks({ min: 3, max: 997 }, 5);
    assert.equal(t.step, 200);
    assert.deepEqual(t.ticks, [0, 200, 400, 600, 800, 1000]);
    const small = niceTicks({ min: 0.1, max: 0.3 }, 4);
    for (const v of small.ticks) assert.equal(String(v).length <= 4, true, `clean label ${v}`);
  });

  it('linearScale maps the domain onto the range, inverted ranges included', () => {
    const y = linearScale({ min: 0, max: 10 }, [100, 0]);
    assert.equal(y(0), 100);
    assert.equal(y(10), 0);
    assert.equal(y(2.5), 75);
  });

  it('formats axis numbers and bytes compactly', () => {
    assert.equal(formatNumber(1234), '1.23k');
    assert.equal(formatNumber(1_000_000), '1M');
    assert.equal(formatNumber(0.5), '0.5');
    assert.equal(formatNumber(-2500), '-2.5k');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(3 * 1024 ** 3), '3 GiB');
  });

  it('downsamples 10,000 points to at most 4 per pixel column and keeps every peak', () => {
    const n = 10_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((i) => Math.sin(i / 50));
    ys[4321] = 9; // a single spike must survive
    ys[777] = -9;
    const px = linearScale({ min: 0, max: n - 1 }, [0, 600]);
    const out = downsampleForPixels(xs, ys, px);
    assert.ok(out.xs.length <= 601 * 4, `${out.xs.length} points`);
    assert.ok(out.xs.length >= 600, 'every column is drawn');
    assert.ok(out.ys.includes(9) && out.ys.includes(-9), 'spikes kept');
    assert.equal(out.xs[0], 0);
    assert.equal(out.xs[out.xs.length - 1], n - 1, 'the last point is kept');
    for (let i = 1; i < out.xs.length; i++) assert.ok(out.xs[i] > out.xs[i - 1], 'x stays sorted');
  });

  it('keeps everything when there are fewer points than pixels', () => {
    const out = downsampleForPixels([0, 1, 2], [5, NaN, 7], linearScale({ min: 0, max: 2 }, [0, 600]));
    assert.deepEqual(out, { xs: [0, 2], ys: [5, 7] });
  });
});
