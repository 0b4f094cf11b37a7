/**
 * Paging in the real tree: "Load more…" under a namespace pages that namespace only, under a
 * tag pages the tag's members; and a tag whose name is not UTF-8 is invalidated by its exact
 * bytes, not a look-alike.
 */
import { strict as assert } from 'node:assert';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { startRedis, type RedisServer } from '../../harness/servers';
import { child, keysOf, snapshot } from './tree';

interface Outcome { plan: { matched: number; sample: string[] }; confirmed: boolean; report?: { matched: number; deleted: number; errors: number } }

const PAGE = 20;

describe('explorer paging: namespaces and tags page on their own', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let client: Redis;
  let id: string;
  const config = () => vscode.workspace.getConfiguration('cachelens');

  before(async () => {
    redis = await startRedis();
    client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await client.connect();
    const p = client.pipeline();
    for (let i = 0; i < 150; i++) p.set(`user:${i}`, 'u');
    for (let i = 0; i < 300; i++) p.set(`item:${i}`, 'i');
    // More members than a listpack holds, so SSCAN really pages.
    const members: string[] = [];
    for (let i = 0; i < 300; i++) members.push(`item:${i}`);
    p.sadd('tag:items', ...members);
    p.set('bt:1', '1').set('bt:2', '2').set('bt:3', '3');
    p.sadd(Buffer.from([0x74, 0x61, 0x67, 0x3a, 0xff]), 'bt:1', 'bt:2');
    p.sadd(Buffer.from([0x74, 0x61, 0x67, 0x3a, 0xfe]), 'bt:3');
    await p.exec();
    await config().update('pageSize', PAGE, vscode.ConfigurationTarget.Global);
    id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'paging redis', url: redis.url });
  });

  after(async () => {
    await config().update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    if (id) await vscode.commands.executeCommand('cachelens.removeConnection', id, { confirm: true });
    client?.disconnect();
    await redis?.stop();
  });

  it('"Load more…" under a namespace loads only that namespace, until its count is exact', async () => {
    // The first page of 20 may miss a namespace; a lookup puts one key of each in the tree.
    await snapshot(id);
    for (const key of ['user:0', 'item:0']) await vscode.commands.executeCommand('cachelens.lookupKey', id, { key });
    let tree = await snapshot(id);
    const user0 = child(tree, 'user:');
    const item0 = child(tree, 'item:');
    const itemCount = keysOf(item0).length;
    assert.equal(child(user0, 'Load more…').description, `${keysOf(user0).length} of user:* loaded`);
    assert.equal(await vscode.commands.executeCommand('cachelens.loadMore', { connectionId: id, prefix: 'user:' }), PAGE);
    tree = await snapshot(id);
    assert.equal(keysOf(child(tree, 'user:')).length, keysOf(user0).length + PAGE);
    assert.equal(keysOf(child(tree, 'item:')).length, itemCount, 'item: did not grow');
    let calls = 1;
    while (child(tree, 'user:').children?.some((c) => c.label === 'Load more…')) {
      await vscode.commands.executeCommand('cachelens.loadMore', { connectionId: id, prefix: 'user:' });
      tree = await snapshot(id);
      assert.ok(++calls < 20, 'the namespace ends');
    }
    assert.equal(child(tree, 'user:').description, '150 keys', 'exact, without "+"');
    assert.equal(keysOf(child(tree, 'user:')).length, 150);
    assert.equal(keysOf(child(tree, 'item:')).length, itemCount);
    assert.equal(tree.children?.at(-1)?.label, 'Load more…', 'the connection still pages the rest');
  });

  it('"Load more…" under a tag pages its members', async () => {
    assert.ok(await vscode.commands.executeCommand<number>('cachelens.loadMore', { connectionId: id, tag: 'items' }));
    let tag = child(child(await snapshot(id), 'Tags'), 'items');
    const first = keysOf(tag).length;
    assert.ok(first > 0 && first < 300, `first page: ${first}`);
    assert.equal(child(tag, 'Load more…').description, `${first} of 300 members`);
    let calls = 0;
    while (tag.children?.some((c) => c.label === 'Load more…')) {
      await vscode.commands.executeCommand('cachelens.loadMore', { connectionId: id, tag: 'items' });
      tag = child(child(await snapshot(id), 'Tags'), 'items');
      assert.ok(++calls < 60, 'the tag ends');
    }
    const labels = keysOf(tag).map((k) => k.label);
    assert.equal(labels.length, 300);
    assert.equal(new Set(labels).size, 300, 'each member once');
  });

  it('invalidates a tag whose name is not UTF-8 by its exact bytes', async () => {
    const tags = child(await snapshot(id), 'Tags');
    assert.ok(tags.children?.some((t) => t.label === '\\xff'), JSON.stringify(tags.children?.map((t) => t.label)));
    const outcome = await vscode.commands.executeCommand<Outcome>('cachelens.invalidateTag',
      { connectionId: id, tagBase64: Buffer.from([0xff]).toString('base64') }, { confirm: true });
    assert.equal(outcome.plan.matched, 2);
    assert.deepEqual(outcome.report, { matched: 2, deleted: 2, errors: 0, cancelled: false });
    assert.equal(await client.exists('bt:1', 'bt:2', Buffer.from([0x74, 0x61, 0x67, 0x3a, 0xff])), 0);
    assert.equal(await client.exists('bt:3', Buffer.from([0x74, 0x61, 0x67, 0x3a, 0xfe])), 2, 'the tag one byte away survives');
  });
});
