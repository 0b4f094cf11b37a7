/**
 * The explorer against the other server shapes, through the extension: a 3-master Redis
 * Cluster (keys from every master, a namespace paged across all of them), a Sentinel
 * connection, and a Memcached value saved from an editor tab keeping its TTL.
 */
import { strict as assert } from 'node:assert';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { startMemcached, startRedisCluster, startSentinel, type MemcachedServer, type RedisCluster, type Sentinel } from '../../harness/servers';
import { child, keysOf, snapshot, type SnapshotItem } from './tree';


const keyLabels = (item: SnapshotItem): string[] => keysOf(item).map((c) => c.label);

/** Replaces a document's whole text and saves it through the cachelens: file system. */
async function editAndSave(uri: string, text: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  assert.ok(doc, 'the value is open');
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save(), 'the save went through');
}

describe('explorer: cluster, sentinel and memcached through the extension', function () {
  this.timeout(90_000);
  let cluster: RedisCluster;
  let sentinel: Sentinel;
  let mc: MemcachedServer;
  const added: string[] = [];
  const add = async (name: string, url: string): Promise<string> => {
    const id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name, url });
    added.push(id);
    return id;
  };

  before(async () => {
    [cluster, sentinel, mc] = await Promise.all([startRedisCluster(3), startSentinel(), startMemcached()]);
  });

  after(async () => {
    for (const id of added) await vscode.commands.executeCommand('cachelens.removeConnection', id, { confirm: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('cachelens').update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([cluster?.stop(), sentinel?.stop(), mc?.stop()]);
  });

  it('shows the keys of all three cluster masters, and pages a namespace across them', async () => {
    const seed = new Redis.Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], { lazyConnect: true });
    await seed.connect();
    try {
      for (let i = 0; i < 40; i++) await seed.set(`user:${i}`, `u${i}`);
      for (let i = 0; i < 10; i++) await seed.set(`cart:${i}`, 'c', 'EX', 600);
    } finally {
      seed.disconnect();
    }
    const perNode = await Promise.all(cluster.nodes.map(async (n) => Number((await n.cli('DBSIZE')).trim())));
    assert.ok(perNode.every((n) => n > 0), `keys on every master: ${perNode.join(', ')}`);

    const id = await add('test cluster', cluster.url);
    const tree = await snapshot(id);
    assert.equal(child(tree, 'user:').description, '40 keys');
    assert.equal(child(tree, 'cart:').description, '10 keys');
    const users = keyLabels(child(tree, 'user:'));
    assert.deepEqual([...users].sort(), Array.from({ length: 40 }, (_, i) => `user:${i}`).sort());

    await vscode.workspace.getConfiguration('cachelens').update('pageSize', 8, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('cachelens.refreshExplorer', id);
    await vscode.commands.executeCommand('cachelens.lookupKey', id, { key: 'user:0' });
    let paged = await snapshot(id);
    const cartBefore = keyLabels(child(paged, 'cart:')).length;
    for (let calls = 0; child(paged, 'user:').children?.some((c) => c.label === 'Load more…'); calls++) {
      assert.ok(calls < 20, 'the namespace ends');
      await vscode.commands.executeCommand('cachelens.loadMore', { connectionId: id, prefix: 'user:' });
      paged = await snapshot(id);
    }
    assert.equal(child(paged, 'user:').description, '40 keys', 'every master was scanned for user:*');
    assert.equal(keyLabels(child(paged, 'cart:')).length, cartBefore, 'cart: did not grow');
    await vscode.workspace.getConfiguration('cachelens').update('pageSize', undefined, vscode.ConfigurationTarget.Global);
  });

  it('browses and edits through a Sentinel connection', async () => {
    const master = new Redis({ host: sentinel.master.host, port: sentinel.master.port, lazyConnect: true });
    await master.connect();
    try {
      await master.set('svc:config', 'v1', 'EX', 900);
      await master.set('svc:flag', 'on');
      const id = await add('test sentinel', sentinel.url);
      const result = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('cachelens.testConnection', id);
      assert.equal(result?.ok, true, result?.message);
      const tree = await snapshot(id);
      assert.deepEqual(keyLabels(child(tree, 'svc:')).sort(), ['svc:config', 'svc:flag']);
      assert.match(child(child(tree, 'svc:'), 'svc:config').description ?? '', /^string · 1[45]m/);
      const opened = await vscode.commands.executeCommand<{ uri: string; editable: boolean }>('cachelens.openValue', { connectionId: id, key: 'svc:config' });
      assert.equal(opened.editable, true);
      await editAndSave(opened.uri, 'v2');
      assert.equal(await master.get('svc:config'), 'v2', 'the write reached the master Sentinel named');
      assert.ok(await master.pttl('svc:config') > 800_000, 'TTL kept');
    } finally {
      master.disconnect();
    }
  });

  it('saves a Memcached value and keeps its TTL and flags', async () => {
    await mc.command('set greeting 42 600 5\r\nhello', /STORED\r\n/);
    const id = await add('test memcached topo', mc.url);
    const opened = await vscode.commands.executeCommand<{ uri: string; editable: boolean }>('cachelens.openValue', { connectionId: id, key: 'greeting' });
    assert.equal(opened.editable, true);
    await editAndSave(opened.uri, 'hello, edited');
    const meta = await mc.command('mg greeting t f v', /\r\n[^\r\n]*\r\n$/);
    const [header, value] = meta.split('\r\n');
    assert.equal(value, 'hello, edited');
    const ttl = Number(/ t(-?\d+)/.exec(header)?.[1]);
    assert.ok(ttl > 580 && ttl <= 600, `TTL kept: ${header}`);
    assert.match(header, / f42\b/, 'client flags kept');
  });
});
