/**
 * Hosts the hash-ring webview: the page sends parameters, the host computes with the ring core
 * (synthetic keys, or a SCAN sample of a saved connection) and answers with a finished view.
 */
import type { RingKey, SlotMap } from '../../core/ring/algorithm';
import { CacheLensError } from '../../core/errors';
import { fetchSlotMap } from '../../core/ring/live-cluster';
import { liveKeys } from '../../core/ring/live';
import { keySlot } from '../../core/ring/redis-slots';
import { algorithms } from '../../core/ring/registry';
import { Compute, Init, LookupSlot, Show, isRingParams, type RingParams, type RingView } from '../../../webview/protocol/ring';
import { connectionManager } from '../connections/index';
import type { ConnectionManager } from '../connections/manager';
import type { Container } from '../container';
import { computeView, MAX_KEYS, syntheticFeed, type KeyFeed } from './compute';

export const RING_TITLE = 'CacheLens: Hash Ring Simulator';

export const DEFAULT_PARAMS: RingParams = {
  algorithm: 'ketama',
  nodes: '10.0.0.1:11211\n10.0.0.2:11211\n10.0.0.3:11211\n10.0.0.4:11211',
  vnodes: 100,
  source: { kind: 'synthetic', count: 20000 },
};

/** Opens (or reveals) the panel; with parameters, computes them and shows the result. */
export async function openRing(c: Container, params?: RingParams): Promise<RingView | undefined> {
  const manager = connectionManager(c);
  // The truth lives in the host: a reloaded page gets the last parameters and view again.
  const state = c.service('ring.state', () => ({ params: DEFAULT_PARAMS, view: undefined as RingView | undefined, slotMaps: new Map<string, SlotMap | null>() }));
  const { channel, created } = c.webviews.show({ name: 'ring', title: RING_TITLE });
  if (created) {
    channel.onReady(() => {
      channel.notify(Init, {
        algorithms: algorithms.map((a) => ({ name: a.name, summary: a.summary, supportsWeights: a.supportsWeights, supportsVnodes: a.supportsVnodes })),
        connections: manager.list().map((p) => ({ id: p.id, name: p.name })),
        params: state.params,
      });
      if (state.view) channel.notify(Show, state.view);
    });
    channel.onRequest(Compute, async (p) => {
      if (!isRingParams(p)) throw new CacheLensError('usage', 'bad ring parameters');
      const view = await compute(manager, p, state.slotMaps);
      state.params = p;
      state.view = view;
      return view;
    });
    channel.onRequest(LookupSlot, async ({ connectionId, key }) => {
      const map = await slotMapOf(manager, connectionId, state.slotMaps);
      if (!map) throw new CacheLensError('usage', 'this connection is not a Redis Cluster');
      const slot = keySlot(key);
      const owner = map.owner[slot];
      return { key, slot, owner, node: owner === -1 ? null : map.nodes[owner] };
    });
  }
  if (!params) {
    // A first open shows the defaults at once rather than an empty page.
    if (!state.view) {
      state.view = await compute(manager, state.params, state.slotMaps);
      if (channel.isReady) channel.notify(Show, state.view);
    }
    return state.view;
  }
  const view = await compute(manager, params, state.slotMaps);
  state.params = params;
  state.view = view;
  // Before the page's first "ready", onReady sends the view after Init; queuing it would put it first.
  if (channel.isReady) channel.notify(Show, view);
  return view;
}

async function compute(manager: ConnectionManager, params: RingParams, slotMaps: Map<string, SlotMap | null>): Promise<RingView> {
  if (params.source.kind === 'synthetic') return computeView(params, syntheticFeed(params.source.count));
  const { connectionId, sample } = params.source;
  if (!Number.isInteger(sample) || sample < 1 || sample > MAX_KEYS) throw new CacheLensError('usage', `sample size must be between 1 and ${MAX_KEYS}`);
  const profile = manager.get(connectionId);
  if (!profile) throw new CacheLensError('usage', 'that connection no longer exists');
  // Refresh the slot map on every compute: a resharding between two runs must show.
  slotMaps.delete(connectionId);
  const slotMap = await slotMapOf(manager, connectionId, slotMaps);
  return manager.withDriver(connectionId, async (driver) => {
    if (!driver.capabilities().listKeys) throw new CacheLensError('usage', driver.capabilities().note ?? 'this connection cannot list its keys');
    const batches = (async function* () {
      for await (const b of liveKeys(driver, { sample })) yield { keys: b.keys as RingKey[], nodes: b.nodes };
    })();
    const feed: KeyFeed = { batches, source: `up to ${sample} keys of ${profile.name} (SCAN)`, slotMap };
    return computeView(params, feed);
  });
}

/** The cluster's slot map, once per connection (null when it is not a cluster). */
async function slotMapOf(manager: ConnectionManager, id: string, cache: Map<string, SlotMap | null>): Promise<SlotMap | null> {
  if (cache.has(id)) return cache.get(id) ?? null;
  const profile = manager.get(id);
  if (!profile) throw new CacheLensError('usage', 'that connection no longer exists');
  let url = profile.url;
  const password = await manager.password(id);
  if (password) {
    // Saved URLs carry no password (it lives in SecretStorage); the slot map needs its own connection.
    const u = new URL(url);
    u.password = encodeURIComponent(password);
    url = u.toString();
  }
  const map = profile.url.startsWith('redis') ? await fetchSlotMap(url) : null;
  cache.set(id, map);
  return map;
}
