/**
 * The explorer in a real VS Code against real servers: connections (password in SecretStorage,
 * not in settings), the tree's namespaces and counts, read-only refusal, purge after
 * confirmation, values in editor tabs (saving keeps the TTL), binary keys, Memcached flush,
 * and the analyze report in the browser with a hostile key name.
 */
import { strict as assert } from 'node:assert';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { freePort, startMemcached, startRedis, type MemcachedServer, type RedisServer } from '../../harness/servers';
import { child, snapshot, type SnapshotItem } from './tree';
import { eventually, ui } from './ui';

interface Outcome { plan: { matched: number; sample: string[] }; confirmed: boolean; report?: { matched: number; deleted: number; errors: number } }

const PASSWORD = 'pw-Secret-7731';
const HOSTILE = '<img src=x onerror=alert(1)>';
const BIN = Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0xfe]);
const BIN_SIBLING = Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0xfd]);

function savedConnections(): Array<Record<string, unknown>> {
  return vscode.workspace.getConfiguration('cachelens').get<Array<Record<string, unknown>>>('connections', []);
}

describe('explorer: connections, tree, values, purge, analyze', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let mc: MemcachedServer;
  let client: Redis;
  let rw: string;
  let ro: string;
  const added: string[] = [];

  before(async () => {
    [redis, mc] = await Promise.all([startRedis({ password: PASSWORD }), startMemcached()]);
    client = new Redis({ host: redis.host, port: redis.port, password: PASSWORD, lazyConnect: true });
    await client.connect();
    const p = client.pipeline();
    for (let i = 1; i <= 12; i++) p.set(`user:${i}`, `u${i}`);
    for (let i = 1; i <= 5; i++) p.set(`session:${i}`, 's', 'EX', 3600);
    for (let i = 1; i <= 3; i++) p.set(`orders:${i}`, 'o');
    p.set('orders', 'decoy').set('orders2:1', 'decoy').set('xorders:1', 'decoy');
    p.set('cfg:json', JSON.stringify({ feature: 'on', limits: [1, 2, 3] }));
    p.set('ttl:doc', 'hello', 'EX', 3600);
    p.set(BIN, 'binary').set(BIN_SIBLING, 'sibling');
    p.set(`${HOSTILE}:1`, 'x');
    p.hset('h:profile', 'name', 'Ada', 'lang', 'en');
    p.sadd('tag:users', 'user:1', 'user:2', 'gone:1');
    p.set('promo:1', 'p').set('promo:2', 'p').set('promo:3', 'not tagged');
    p.sadd('tag:promo', 'promo:1', 'promo:2', 'gone:9');
    await p.exec();
    for (let i = 0; i < 4; i++) await mc.command(`set page:${i} 0 0 1\r\nx`, /STORED\r\n/);
  });

  after(async () => {
    for (const id of added) await vscode.commands.executeCommand('cachelens.removeConnection', id, { confirm: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    client?.disconnect();
    await Promise.all([redis?.stop(), mc?.stop()]);
  });

  it('adds a connection: the URL goes to settings without the password, the password to SecretStorage', async () => {
    assert.ok(redis.url.includes(PASSWORD), 'the harness URL carries the password');
    const id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'test redis', url: redis.url });
    assert.ok(id);
    rw = id;
    added.push(id);
    const saved = savedConnections().find((c) => c.id === id);
    assert.deepEqual(saved, { id, name: 'test redis', url: `redis://127.0.0.1:${redis.port}`, readOnly: false });
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('cachelens')).includes(PASSWORD), 'the password is nowhere in settings');
    // The server requires the password: a successful test proves it was stored and read back.
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('cachelens.testConnection', id);
    assert.equal(result?.ok, true, result?.message);
  });

  it('reports an unreachable server clearly within 5 s', async () => {
    const port = await freePort();
    const id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'nothing there', url: `redis://127.0.0.1:${port}` });
    added.push(id);
    const started = Date.now();
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('cachelens.testConnection', id);
    assert.equal(result?.ok, false);
    assert.ok(Date.now() - started < 5_500, `took ${Date.now() - started} ms`);
    assert.match(result?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('reports a wrong password without showing it', async () => {
    const id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'bad password', url: `redis://:Wr0ngPass@127.0.0.1:${redis.port}` });
    added.push(id);
    assert.ok(!JSON.stringify(savedConnections()).includes('Wr0ngPass'));
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('cachelens.testConnection', id);
    assert.equal(result?.ok, false);
    assert.match(result?.message ?? '', /auth|password/i);
    assert.ok(!result?.message.includes('Wr0ngPass'), result?.message);
  });

  it('shows namespaces with key counts and keys with type, TTL and size', async () => {
    const tree = await snapshot(rw);
    assert.equal(tree.label, 'test redis');
    assert.equal(child(tree, 'user:').description, '12 keys');
    assert.equal(child(tree, 'session:').description, '5 keys');
    assert.equal(child(tree, 'orders:').description, '3 keys');
    const session = child(child(tree, 'session:'), 'session:1');
    assert.match(session.description ?? '', /^string · ((59|60)m \d\ds|1h 00m) · \d+ B$/);
    assert.match(child(child(tree, 'h:'), 'h:profile').description ?? '', /^hash · no TTL/);
    assert.ok(tree.children?.some((c) => c.label === 'Tags'), 'Redis connections show tags');
    assert.equal(tree.children?.some((c) => c.label === 'Load more…'), false, 'everything fits one page');
  });

  it('filters by glob and type, and clears the filter', async () => {
    await vscode.commands.executeCommand('cachelens.filterKeys', rw, { match: 'user:1*' });
    let tree = await snapshot(rw);
    assert.match(tree.description ?? '', /filter user:1\*/);
    assert.deepEqual(tree.children?.map((c) => c.label).filter((l) => l !== 'Tags'), ['user:']);
    assert.equal(child(tree, 'user:').description, '4 keys');
    await vscode.commands.executeCommand('cachelens.filterKeys', rw, { type: 'hash' });
    tree = await snapshot(rw);
    assert.deepEqual(tree.children?.map((c) => c.label).filter((l) => l !== 'Tags'), ['h:']);
    await vscode.commands.executeCommand('cachelens.clearFilter', rw);
    tree = await snapshot(rw);
    assert.equal(child(tree, 'user:').description, '12 keys');
  });

  it('pages with "Load more…" so a big keyspace never loads at once', async () => {
    const config = vscode.workspace.getConfiguration('cachelens');
    await config.update('pageSize', 5, vscode.ConfigurationTarget.Global);
    try {
      let tree = await snapshot(rw);
      const loaded = (t: SnapshotItem) => JSON.stringify(t).split('"contextValue":"cachelens.key.').length - 1;
      assert.equal(loaded(tree), 5);
      assert.equal(tree.children?.at(-1)?.label, 'Load more…');
      // Which namespaces the first 5 keys fall into depends on the server's hash seed.
      const ns = tree.children?.find((c) => c.contextValue?.startsWith('cachelens.namespace'));
      assert.match(ns?.description ?? '', /\+ keys?$/, 'counts are partial until the scan completes');
      assert.equal(await vscode.commands.executeCommand('cachelens.loadMore', rw), 5);
      tree = await snapshot(rw);
      assert.equal(loaded(tree), 10);
    } finally {
      await config.update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('cachelens.refreshExplorer', rw);
  });

  it('refuses to delete on a read-only connection', async () => {
    ro = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'test redis ro', url: redis.url, readOnly: true });
    added.push(ro);
    const tree = await snapshot(ro);
    assert.match(child(child(tree, 'user:'), 'user:1').contextValue ?? '', /readonly/);
    const outcome = await vscode.commands.executeCommand<Outcome | undefined>('cachelens.deleteKeys', { connectionId: ro, key: 'user:1' }, { confirm: true });
    assert.equal(outcome, undefined, 'the command refused');
    assert.equal(await client.exists('user:1'), 1, 'the key is still there');
    const ttl = await vscode.commands.executeCommand('cachelens.setTtl', { connectionId: ro, key: 'user:1' }, { ttl: '1m' });
    assert.equal(ttl, undefined);
    assert.equal(await client.pttl('user:1'), -1, 'no TTL was set');
  });

  it('purges exactly one namespace, only after confirmation', async () => {
    const declined = await vscode.commands.executeCommand<Outcome>('cachelens.purgeNamespace', { connectionId: rw, prefix: 'orders:' }, { confirm: false });
    assert.equal(declined.plan.matched, 3);
    assert.deepEqual([...declined.plan.sample].sort(), ['orders:1', 'orders:2', 'orders:3']);
    assert.equal(declined.report, undefined);
    assert.equal(await client.exists('orders:1', 'orders:2', 'orders:3'), 3, 'nothing deleted when declined');

    const done = await vscode.commands.executeCommand<Outcome>('cachelens.purgeNamespace', { connectionId: rw, prefix: 'orders:' }, { confirm: true });
    assert.deepEqual(done.report, { matched: 3, deleted: 3, errors: 0, cancelled: false });
    assert.equal(await client.exists('orders:1', 'orders:2', 'orders:3'), 0);
    assert.equal(await client.exists('orders', 'orders2:1', 'xorders:1'), 3, 'look-alike keys survive');
    const tree = await snapshot(rw);
    assert.equal(tree.children?.some((c) => c.label === 'orders:'), false, 'the tree no longer shows the namespace');
  });

  it('opens a JSON string value pretty-printed in an editor tab', async () => {
    const opened = await vscode.commands.executeCommand<{ uri: string; presentation: string }>('cachelens.openValue', { connectionId: rw, key: 'cfg:json' });
    assert.equal(opened.presentation, 'json');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.uri);
    assert.ok(doc);
    assert.equal(doc.getText(), JSON.stringify({ feature: 'on', limits: [1, 2, 3] }, null, 2));
    assert.equal(doc.languageId, 'json');
    await eventually(() => vscode.window.activeTextEditor?.document.uri.toString() === opened.uri, 'the value tab to be active');
  });

  it('opens a hash read-only as JSON', async () => {
    const opened = await vscode.commands.executeCommand<{ uri: string; readOnly: boolean }>('cachelens.openValue', { connectionId: rw, key: 'h:profile' });
    assert.equal(opened.readOnly, true);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.uri);
    assert.deepEqual(JSON.parse(doc!.getText()), { type: 'hash', length: 2, shown: 2, value: { name: 'Ada', lang: 'en' } });
  });

  it('saves an edited string back and keeps its TTL', async () => {
    const opened = await vscode.commands.executeCommand<{ uri: string; editable: boolean }>('cachelens.openValue', { connectionId: rw, key: 'ttl:doc' });
    assert.equal(opened.editable, true);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.uri)!;
    assert.equal(doc.getText(), 'hello');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), 'hello, edited');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save(), 'the save went through');
    assert.equal(await client.get('ttl:doc'), 'hello, edited');
    const ttl = await client.pttl('ttl:doc');
    assert.ok(ttl > 3_500_000, `TTL kept: ${ttl} ms`);
  });

  it('shows a binary key escaped and deletes exactly its bytes', async () => {
    const tree = await snapshot(rw);
    const bin = child(tree, 'bin:');
    assert.deepEqual(bin.children?.map((c) => c.label).sort(), ['bin:\\xff\\xfd', 'bin:\\xff\\xfe']);
    const outcome = await vscode.commands.executeCommand<Outcome>('cachelens.deleteKeys', { connectionId: rw, keyBase64: BIN.toString('base64') }, { confirm: true });
    assert.deepEqual(outcome.report, { matched: 1, deleted: 1, errors: 0, cancelled: false });
    assert.equal(await client.exists(BIN), 0);
    assert.equal(await client.exists(BIN_SIBLING), 1, 'the key differing in one byte survives');
  });

  it('looks up an exact key and sets its TTL', async () => {
    const found = await vscode.commands.executeCommand<{ found: boolean; type?: string; ttlMs?: number }>('cachelens.lookupKey', rw, { key: 'user:7' });
    assert.equal(found.found, true);
    assert.equal(found.type, 'string');
    assert.equal(found.ttlMs, -1);
    assert.equal(await vscode.commands.executeCommand('cachelens.setTtl', { connectionId: rw, key: 'user:7' }, { ttl: '2h' }), true);
    const ttl = await client.pttl('user:7');
    assert.ok(ttl > 7_100_000 && ttl <= 7_200_000, `ttl ${ttl}`);
    const missing = await vscode.commands.executeCommand<{ found: boolean }>('cachelens.lookupKey', rw, { key: 'no:such' });
    assert.equal(missing.found, false);
  });

  it('analyzes the keyspace and renders the hostile key name as text in the report', async () => {
    const view = await vscode.commands.executeCommand<{ keys: number; namespaces: Array<{ prefix: string; keys: number }> }>('cachelens.analyze', rw);
    assert.ok(view);
    assert.equal(view.keys, Number(await client.dbsize()));
    assert.equal(view.namespaces.find((n) => n.prefix === 'user:')?.keys, 12);
    assert.ok(view.namespaces.some((n) => n.prefix === `${HOSTILE}:`));
    const tree = await snapshot(rw);
    assert.match(child(tree, 'user:').description ?? '', /^12 keys · \d/, 'the tree shows memory after analyze');
    if (!ui.available) return;
    const dom = await eventually(() => ui.webviewEval<{ prefixes: string[]; imgs: number; rows: number }>('CacheLens: Analyze test redis', `(() => ({
      prefixes: [...document.querySelectorAll('td.prefix')].map((td) => td.textContent),
      imgs: document.querySelectorAll('#root img').length,
      rows: document.querySelectorAll('tr.namespace').length,
    }))()`).then((d) => (d.rows > 0 ? d : undefined)), 'the analyze report to render', 20_000);
    assert.ok(dom.prefixes.includes(`${HOSTILE}:`), JSON.stringify(dom.prefixes));
    assert.equal(dom.imgs, 0, 'the key name did not become an element');
  });

  it('lists tags, cleans dangling members and invalidates a tag after confirmation', async () => {
    const tags = child(await snapshot(rw), 'Tags');
    assert.equal(child(tags, 'promo').description, '3 keys');
    assert.equal(child(tags, 'users').description, '3 keys');
    assert.equal(await vscode.commands.executeCommand('cachelens.cleanDanglingMembers', { connectionId: rw, tag: 'promo' }), 1);
    assert.deepEqual((await client.smembers('tag:promo')).sort(), ['promo:1', 'promo:2']);
    const outcome = await vscode.commands.executeCommand<Outcome>('cachelens.invalidateTag', { connectionId: rw, tag: 'promo' }, { confirm: true });
    assert.equal(outcome.plan.matched, 2);
    assert.equal(outcome.report?.deleted, 2);
    assert.equal(await client.exists('promo:1', 'promo:2', 'tag:promo'), 0);
    assert.equal(await client.exists('promo:3'), 1, 'a key outside the tag survives');
  });

  it('counts TTLs down live in the visible tree', async function () {
    if (!ui.available) this.skip();
    await vscode.commands.executeCommand('cachelens.lookupKey', rw, { key: 'session:2' });
    const read = () => ui.workbenchEval<string | null>(`(() => {
      const row = [...document.querySelectorAll('.monaco-list-row')].find((r) => r.textContent.includes('session:2'));
      return row ? row.querySelector('.label-description')?.textContent ?? null : null;
    })()`);
    const first = await eventually(read, 'the session:2 row to be visible');
    const later = await eventually(async () => { const t = await read(); return t && t !== first ? t : undefined; }, 'the TTL to tick', 5_000);
    assert.match(first, /^string · \d+m \d\ds/);
    assert.match(later, /^string · \d+m \d\ds/);
  });

  it('browses Memcached and flushes only after the connection name is typed', async () => {
    const id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'test memcached', url: mc.url });
    added.push(id);
    const tree = await snapshot(id);
    assert.equal(child(tree, 'page:').description, '4 keys');
    assert.equal(tree.children?.some((c) => c.label === 'Tags'), false, 'tags are Redis-only');
    assert.equal(await vscode.commands.executeCommand('cachelens.flushMemcached', id, { typedName: 'wrong name' }), undefined);
    assert.match(await mc.command('get page:1', /END\r\n/), /VALUE page:1/, 'a wrong name flushes nothing');
    assert.equal(await vscode.commands.executeCommand('cachelens.flushMemcached', id, { typedName: 'test memcached' }), true);
    assert.doesNotMatch(await mc.command('get page:1', /END\r\n/), /VALUE/);
  });

  it('says so within 5 s when the server dies, and reconnects when it is back', async () => {
    await redis.kill();
    const started = Date.now();
    await vscode.commands.executeCommand('cachelens.refreshExplorer', rw);
    const down = await snapshot(rw);
    assert.ok(Date.now() - started < 5_500, `took ${Date.now() - started} ms`);
    assert.equal(down.children?.length, 1);
    assert.match(down.children?.[0].contextValue ?? '', /message\.error/);
    assert.match(down.children?.[0].label ?? '', /127\.0\.0\.1|closed|connect/i);
    await redis.restart();
    await eventually(async () => (await client.set('back:1', 'yes')) === 'OK', 'the test client to reconnect');
    await vscode.commands.executeCommand('cachelens.refreshExplorer', rw);
    const up = await snapshot(rw);
    assert.equal(child(up, 'back:').description, '1 key');
  });

  it('removes a connection and its password', async () => {
    const id = added.pop()!;
    assert.equal(await vscode.commands.executeCommand('cachelens.removeConnection', id, { confirm: true }), true);
    assert.equal(savedConnections().some((c) => c.id === id), false);
  });
});
