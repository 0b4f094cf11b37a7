/**
 * A ghost queue: ids remembered in arrival order (newest in, oldest out, any one removable on
 * a ghost hit), for 2Q's A1out and S3-FIFO's ghost. Entries live in a ring of ids
 * and an id's slot is kept in its Links record (`aux`), so forgetting the oldest entry only
 * clears a ring slot, sequential memory, where a linked list would touch two cold records.
 * The forgotten id's record keeps a stale tag; `has` checks the ring slot, so it stays exact.
 */
import type { Links } from './_dlist';

/**
 * Ids in arrival order in a ring (newest at head, oldest at tail), any entry removable by
 * punching a hole (-1). `head` and `tail` are sequence numbers; the entry numbered s lives in
 * slot s & mask. The ring is twice the entries it must hold, so holes are squeezed out rarely.
 * Shared by GhostQueue and ARC's ghost lists, which keep where each id sits in their own records.
 */
export class IdRing {
  count = 0;
  /** Sum of the weights of the remembered ids. */
  weight = 0;
  /** The next sequence number to write, and the oldest (possibly a hole). */
  head = 0;
  tail = 0;
  readonly ring: Int32Array;
  readonly ringWeight: Float64Array | null;
  readonly mask: number;

  /** maxEntries bounds how many ids are remembered at once; weights are kept in bytes mode. */
  constructor(maxEntries: number, bytes: boolean, maxSize = 1 << 30) {
    let size = 16;
    // Twice the entries leaves room for the holes ghost hits punch before the tail reaches them.
    while (size < 2 * maxEntries + 2 && size < maxSize) size <<= 1;
    this.ring = new Int32Array(size).fill(-1);
    this.ringWeight = bytes ? new Float64Array(size) : null;
    this.mask = size - 1;
  }

  /** True when the next push has no free slot (holes may still be squeezed out). */
  get full(): boolean {
    return this.head - this.tail > this.mask;
  }

  /** Appends an id at the head; returns its slot. The caller makes room first (see `full`). */
  append(id: number, w: number): number {
    const slot = this.head & this.mask;
    this.ring[slot] = id;
    if (this.ringWeight !== null) this.ringWeight[slot] = w;
    this.head++;
    this.count++;
    this.weight += w;
    return slot;
  }

  /** Punches a hole at a live entry's slot (a ghost hit). */
  removeAt(slot: number): void {
    this.ring[slot] = -1;
    this.count--;
    this.weight -= this.ringWeight === null ? 1 : this.ringWeight[slot];
  }

  /** Forgets the oldest id and returns it; the ring must not be empty. */
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

  /** Squeezes out the holes; `moved` learns each entry's new sequence number (its slot is seq & mask). */
  compact(moved: (id: number, seq: number) => void): void {
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
        moved(id, write);
      }
      write++;
    }
    this.head = write;
  }
}

export class GhostQueue extends IdRing {
  private readonly rec: Int32Array;
  private readonly relocate = (id: number, seq: number): void => {
    this.rec[4 * id + 3] = seq & this.mask;
  };

  /** maxEntries bounds how many ids can be remembered at once; weights are kept in bytes mode. */
  constructor(links: Links, readonly tag: number, maxEntries: number, bytes: boolean) {
    super(maxEntries, bytes);
    this.rec = links.rec;
  }

  has(id: number): boolean {
    const i = 4 * id;
    return this.rec[i + 2] === this.tag && this.ring[this.rec[i + 3]] === id;
  }

  push(id: number, w: number): void {
    if (this.full) {
      this.compact(this.relocate);
      // Still full of live entries (only possible with zero-size objects): forget the oldest.
      if (this.full) this.popOldest();
    }
    const slot = this.append(id, w);
    this.rec[4 * id + 2] = this.tag;
    this.rec[4 * id + 3] = slot;
  }

  /** Forgets an id known to be in this queue (a ghost hit). */
  remove(id: number): void {
    this.removeAt(this.rec[4 * id + 3]);
    this.rec[4 * id + 2] = 0;
  }
}
