/** A minimal memcached text-protocol client for seeding and traffic: set, get, stats. */
import * as net from 'node:net';

export class MemcachedText {
  private buffer = Buffer.alloc(0);
  private waiting: { until: (b: Buffer) => number; resolve(b: Buffer): void; reject(e: Error): void }[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => { this.buffer = Buffer.concat([this.buffer, chunk]); this.drain(); });
    socket.on('error', (e) => { for (const w of this.waiting.splice(0)) w.reject(e); });
  }

  static connect(host: string, port: number): Promise<MemcachedText> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => resolve(new MemcachedText(s)));
      s.once('error', reject);
    });
  }

  set(key: string, value: Buffer | string, ttlSeconds = 0): Promise<void> {
    const data = Buffer.isBuffer(value) ? value : Buffer.from(value);
    this.socket.write(Buffer.concat([Buffer.from(`set ${key} 0 ${ttlSeconds} ${data.length}\r\n`), data, Buffer.from('\r\n')]));
    return this.expect((b) => endOfLine(b)).then((line) => {
      if (!line.toString().startsWith('STORED')) throw new Error(`memcached set ${key}: ${line.toString().trim()}`);
    });
  }

  /** Resolves with whether the key was found (a hit). */
  get(key: string): Promise<boolean> {
    this.socket.write(`get ${key}\r\n`);
    return this.expect((b) => endMarker(b, 'END\r\n')).then((reply) => reply.toString('latin1').startsWith('VALUE '));
  }

  stats(): Promise<Record<string, string>> {
    this.socket.write('stats\r\n');
    return this.expect((b) => endMarker(b, 'END\r\n')).then((reply) => Object.fromEntries(
      reply.toString().split('\r\n').filter((l) => l.startsWith('STAT ')).map((l) => { const [, k, v] = l.split(' '); return [k, v]; }),
    ));
  }

  close(): void { this.socket.end(); }

  private expect(until: (b: Buffer) => number): Promise<Buffer> {
    return new Promise((resolve, reject) => { this.waiting.push({ until, resolve, reject }); this.drain(); });
  }

  private drain(): void {
    while (this.waiting.length) {
      const end = this.waiting[0].until(this.buffer);
      if (end < 0) return;
      const reply = this.buffer.subarray(0, end);
      this.buffer = this.buffer.subarray(end);
      this.waiting.shift()?.resolve(reply);
    }
  }
}

function endOfLine(b: Buffer): number {
  const i = b.indexOf('\r\n');
  return i < 0 ? -1 : i + 2;
}

/** The end of a reply that finishes with `marker` at the start of a line. */
function endMarker(b: Buffer, marker: string): number {
  if (b.subarray(0, marker.length).toString() === marker) return marker.length;
  const i = b.indexOf(`\r\n${marker}`);
  return i < 0 ? -1 : i + 2 + marker.length;
}
