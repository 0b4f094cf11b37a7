/** The "CacheLens: Show Log" command: the output channel where failures are explained. */
import type { Container } from './container';

export function register(c: Container): void {
  c.registerCommand('cachelens.showLog', () => c.output.show(true));
}
