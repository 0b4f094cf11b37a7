/**
 * The hash-ring simulator: one command opens its panel. The command takes optional parameters
 * (the page's own RingParams) so tests and scripts go through the same code path as the palette.
 */
import { CacheLensError } from '../../core/errors';
import { isRingParams, type RingParams } from '../../../webview/protocol/ring';
import type { Container } from '../container';
import { openRing } from './panel';

export function register(c: Container): void {
  c.registerCommand('cachelens.ring.open', async (args?: RingParams) => {
    // The palette passes nothing; a tree item or keybinding may pass something else: ignore it.
    if (args !== undefined && args !== null && typeof args === 'object' && 'algorithm' in args) {
      if (!isRingParams(args)) throw new CacheLensError('usage', 'cachelens.ring.open: bad arguments');
      return openRing(c, args);
    }
    return openRing(c);
  });
}
