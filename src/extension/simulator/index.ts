/** The eviction simulator: one command that opens (or reveals) its panel. No server needed. */
import type { Container } from '../container';
import { openSimulator } from './panel';

export function register(c: Container): void {
  c.registerCommand('cachelens.simulator.open', () => openSimulator(c));
}
