import type { CliIO } from './io';

/**
 * A one-line progress indicator on stderr, shown only when stderr is a terminal (pipes and
 * logs stay clean). Updates are throttled so a fast loop does not flood the terminal.
 */
export class Progress {
  private last = 0;
  private shown = false;

  constructor(private readonly io: CliIO, private readonly intervalMs = 100) {}

  update(text: string, force = false): void {
    if (!this.io.errIsTTY) return;
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    this.shown = true;
    this.io.err(`\r\x1b[2K${text}`);
  }

  done(): void {
    if (this.shown) this.io.err('\r\x1b[2K');
    this.shown = false;
  }
}
