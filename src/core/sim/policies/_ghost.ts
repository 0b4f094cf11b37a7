/**
 * A ghost queue: ids remembered in arrival order (newest in, oldest out, any one removable on
 * a ghost hit), for ARC's B1/B2, 2Q's A1out and S3-FIFO's ghost. Entries live in a ring of ids
 * and an id's slot is kept in its Links record (`aux`), so forgetting the oldest entry only
 * clears a ring slot, sequential memory, where a linked list would touch two cold records.
 * The forgotten id's record keeps a stale tag; `has` checks the ring slot, so it stays exact.
 */
import type { Links } from './_dlist';

export class GhostQueue {
  count = 0;
  /** Sum of the weights of the remembered ids. */
  weight = 0;
  private readonly rec: Int32Array;
  private readonly ring: Int32Array;
  private readonly ringWeight: Float64Array | null;
  private readonly mask: number;
  /** Sequence numbers: the next slot to write, and the oldest slot (possibly a hole). */
  private head = 0;
  private tail = 0;

  /** maxEntries bounds how many ids can be remembered at once; weights are kept in bytes mode. */
  constructor(links: Links, readonly tag: number, maxEntries: number, bytes: boolean) {
    this.rec = links.rec;
    let size = 16;
    // Twice the entries leaves room for the holes ghost hits punch before the tail reaches them.
    while (size < 2 * maxEntries + 2 && size < 1 << 30) size <<= 1;
    this.ring = new Int32Array(size).fill(-1);
    this.ringWeight = bytes ? new Float64Array(size) : null;
    this.mask = size - 1;
  }

  has(id: number): boolean {
    const i = 4 * id;
    return this.rec[i + 2] === this.tag && this.ring[this.rec[i + 3]] === id;
  }

  push(id: number, w: number): void {
    if (this.head - this.tail > this.mask) {
      this.compact();
      // Still full of live entries (only possible with zero-size objects): forget the oldest.
      if (this.head - this.tail > this.mask) this.popOldest();
    }
    const slot = this.head & this.mask;
    this.ring[slot] = id;
    if (this.ringWeight !== null) this.ringWeight[slot] = w;
    this.rec[4 * id + 2] = this.tag;
    this.rec[4 * id + 3] = slot;
    this.head++;
    this.count++;
    this.weight += w;
  }

  /** Forgets an id known to be in this queue (a ghost hit). */
  remove(id: number): void {
    const slot = this.rec[4 * id + 3];
    this.ring[slot] = -1;
    this.rec[4 * id + 2] = 0;
    this.count--;
    this.weight -= this.ringWeight === null ? 1 : this.ringWeight[slot];
  }

  /** Forgets the oldest id and returns it; the queue must not be empty. */
  popOldest(): number {
    const ring = this.ring;
    const mask = this.mask;
    while (ring[this.tail & mask] === -1) this.tail++;
    const slot = this.tail & mask;
    const id = ring[slot];
    ring[slot] = -1;
    this.tail++;
    this.count--;
    this.weight -= this.ringWeight === null ? 1 : this.ringWeight[slot];
    return id;
  }

  /** Ids from newest to oldest. */
  toArray(): number[] {
    const out: number[] = [];
    for (let s = this.head - 1; s >= this.tail; s--) {
      const id = this.ring[s & this.mask];
      if (id !== -1) out.push(id);
    }
    return out;
  }

  /** Squeezes out the holes left by ghost hits; rare, since the ring is twice the entries. */
  private compact(): void {
    const ring = this.ring;
    const mask = this.mask;
    let write = this.tail;
    for (let read = this.tail; read < this.head; read++) {
      const id = ring[read & mask];
      if (id === -1) continue;
      if (write !== read) {
        const to = write & mask;
        ring[to] = id;
        if (this.ringWeight !== null) this.ringWeight[to] = this.ringWeight[read & mask];
        ring[read & mask] = -1;
        this.rec[4 * id + 3] = to;
      }
      write++;
    }
    this.head = write;
  }
}
