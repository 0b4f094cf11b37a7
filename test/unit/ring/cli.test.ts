import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { keySlot } from '../../../src/core/ring/redis-slots';
import { getAlgorithm } from '../../../src/core/ring/registry';
import { captureIO } from '../../helpers/io';

async function cli(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('cli: cachelens ring', () => {
  const nodes = 'a:11211,b:11211,c:11211';

  it('--json has the documented shape, with moved* only when a node is added or removed', async () => {
    const plain = await cli('ring', '--algo', 'ketama', '--nodes', nodes, '--synthetic', '3000', '--json');
    assert.equal(plain.code, 0, plain.err);
    const r = JSON.parse(plain.out);
    assert.equal(r.algo, 'ketama');
    assert.deepEqual(r.nodes.map((n: { node: string }) => n.node), ['a:11211', 'b:11211', 'c:11211']);
    assert.equal(r.nodes.reduce((s: number, n: { keys: number }) => s + n.keys, 0), 3000);
    assert.ok(r.maxOverMean >= 1 && typeof r.stddev === 'number');
    assert.equal('moved' in r, false);

    const added = JSON.parse((await cli('ring', '--algo', 'jump', '--nodes', nodes, '--synthetic', '3000', '--add', 'd:11211', '--json')).out);
    assert.equal(added.idealMovedFraction, 0.25);
    assert.equal(added.movedFraction, added.moved / 3000);
    assert.ok(Math.abs(added.movedFraction - 0.25) < 0.04);
  });

  it('reads keys from a file as bytes, one per line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ring-cli-'));
    const file = path.join(dir, 'keys.txt');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('user:1\r\nuser:2\n\n'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\nuser:3')]));
    const res = await cli('ring', '--algo', 'redis-slots', '--nodes', nodes, '--keys', file, '--json');
    fs.rmSync(dir, { recursive: true });
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out);
    assert.equal(r.nodes.reduce((s: number, n: { keys: number }) => s + n.keys, 0), 4);
    const p = getAlgorithm('redis-slots').build(nodes.split(',').map((id) => ({ id, weight: 1 })));
    const want = [0, 0, 0];
    for (const k of [Buffer.from('user:1'), Buffer.from('user:2'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('user:3')]) want[p.locate(k)]++;
    assert.deepEqual(r.nodes.map((n: { keys: number }) => n.keys), want);
  });

  it('locate --json prints each key with its node, or its slot for redis-slots without nodes', async () => {
    const res = await cli('ring', 'locate', '--algo', 'rendezvous', '--nodes', nodes, 'k1', 'k2', '--json');
    const p = getAlgorithm('rendezvous').build(nodes.split(',').map((id) => ({ id, weight: 1 })));
    assert.deepEqual(JSON.parse(res.out), ['k1', 'k2'].map((key) => ({ key, node: p.nodes[p.locate(key)].id })));
    const slots = await cli('ring', 'locate', '--algo', 'redis-slots', '123456789', '{}{a}', '--json');
    assert.deepEqual(JSON.parse(slots.out), [{ key: '123456789', slot: 12739 }, { key: '{}{a}', slot: keySlot('{}{a}') }]);
    assert.match(slots.err, /span 2 slots.*CROSSSLOT/);
    const same = await cli('ring', 'locate', '--algo', 'redis-slots', '{u1}:a', '{u1}:b');
    assert.equal(same.err, '');
  });

  it('compare and sweep print one row per algorithm / vnode count', async () => {
    const cmp = JSON.parse((await cli('ring', '--algo', 'ketama', '--nodes', nodes, '--synthetic', '2000', '--compare', '--remove', 'b:11211', '--json')).out);
    assert.deepEqual(cmp.map((r: { algo: string }) => r.algo), ['modulo', 'vnode-md5', 'ketama', 'jump', 'rendezvous', 'redis-slots']);
    const ring = cmp.find((r: { algo: string }) => r.algo === 'rendezvous');
    assert.equal(ring.movedBetweenSurvivors, 0);
    const sweep = JSON.parse((await cli('ring', '--algo', 'vnode-md5', '--nodes', nodes, '--synthetic', '2000', '--sweep', '--json')).out);
    assert.equal(sweep.sweep.length, 11);
    const text = await cli('ring', '--algo', 'modulo', '--nodes', nodes, '--synthetic', '2000', '--add', 'd:11211');
    assert.match(text.out, /adding d:11211: \d+ keys move \(7\d\.\d\d%\), ideal 25\.00%/);
  });

  it('exits 2 on bad usage', async () => {
    for (const argv of [
      ['ring', '--nodes', nodes, '--synthetic', '10'],
      ['ring', '--algo', 'nope', '--nodes', nodes, '--synthetic', '10'],
      ['ring', '--algo', 'ketama', '--nodes', nodes],
      ['ring', '--algo', 'ketama', '--nodes', nodes, '--synthetic', '10', '--keys', 'x'],
      ['ring', '--algo', 'ketama', '--nodes', nodes, '--synthetic', '10', '--weights', '1,2'],
      ['ring', '--algo', 'jump', '--nodes', nodes, '--synthetic', '10', '--weights', '1,2,3'],
      ['ring', '--algo', 'ketama', '--nodes', nodes, '--synthetic', '10', '--remove', 'z:1'],
      ['ring', '--algo', 'ketama', '--nodes', nodes, '--synthetic', '10', '--bogus'],
      ['ring', 'locate', '--algo', 'ketama', '--nodes', nodes],
    ]) {
      const res = await cli(...argv);
      assert.equal(res.code, 2, `${argv.join(' ')}: ${res.err}`);
      assert.match(res.err, /^cachelens ring: .+\n$/);
    }
  });
});
