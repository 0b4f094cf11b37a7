/** The eviction simulator: the command that opens (or reveals) its panel, and recording live traffic into it. */
import type { Container } from '../container';
import { openSimulator } from './panel';
import { recordFromConnection, type RecordArgs } from './record';

export function register(c: Container): void {
  c.registerCommand('cachelens.simulator.open', () => { openSimulator(c); });
  c.registerCommand('cachelens.simulator.record', (args?: RecordArgs) => recordFromConnection(c, args));
}
