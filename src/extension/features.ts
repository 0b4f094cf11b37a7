/**
 * Every feature of the extension, registered in this order by `activate`. A feature is a folder
 * under src/extension/ with a `register(container)` and a contributes.json; add one line here.
 */
import type { Container } from './container';
import * as showLog from './showLog';
import * as connections from './connections/index';
import * as explorer from './explorer/index';
import * as values from './values/index';
import * as purge from './purge/index';
import * as analyze from './analyze/index';
import * as stats from './stats/index';
import * as snippets from './snippets/index';
import * as simulator from './simulator/index';
import * as ring from './ring/index';

export interface Feature {
  /** The feature's folder name; shown in the log when it fails to register. */
  id: string;
  register(container: Container): void | Promise<void>;
}

export const features: Feature[] = [
  { id: 'showLog', register: showLog.register },
  { id: 'connections', register: connections.register },
  { id: 'explorer', register: explorer.register },
  { id: 'values', register: values.register },
  { id: 'purge', register: purge.register },
  { id: 'analyze', register: analyze.register },
  { id: 'stats', register: stats.register },
  { id: 'snippets', register: snippets.register },
  { id: 'simulator', register: simulator.register },
  { id: 'ring', register: ring.register },
];
