/**
 * An indexed binary min-heap of ids ordered by (key, tie): O(log n) push, remove and re-key of
 * any id, with positions kept in an Int32Array over the id space so nothing is allocated per
 * request. Policies that need a max-heap store negated keys.
 */
export class IdHeap {
  /** Primary key per id; callers write it, then call push/update. */
  readonly key: Float64Array;
  /** Tie-breaker per id (lower first), e.g. an insertion sequence number. */
  readonly tie: Float64Array;
  private readonly pos: Int32Array;
  private readonly items: Int32Array;
  size = 0;

  constructor(idSpace: number, maxItems: number) {
    this.key = new Float64Array(idSpace);
    this.tie = new Float64Array(idSpace);
    this.pos = new Int32Array(idSpace).fill(-1);
    this.items = new Int32Array(Math.max(1, Math.min(idSpace, maxItems)));
  }

  has(id: number): boolean {
    return this.pos[id] !== -1;
  }

  top(): number {
    return this.size === 0 ? -1 : this.items[0];
  }

  push(id: number): void {
    const i = this.size++;
    this.items[i] = id;
    this.pos[id] = i;
    this.up(i);
  }

  pop(): number {
    const id = this.items[0];
    this.removeAt(0);
    return id;
  }

  remove(id: number): void {
    this.removeAt(this.pos[id]);
  }

  /** Restores order after the caller changed key/tie of an id already in the heap. */
  update(id: number): void {
    const i = this.pos[id];
    if (!this.up(i)) this.down(i);
  }

  ids(): number[] {
    return Array.from(this.items.subarray(0, this.size));
  }

  private removeAt(i: number): void {
    const id = this.items[i];
    this.pos[id] = -1;
    const last = --this.size;
    if (i === last) return;
    const moved = this.items[last];
    this.items[i] = moved;
    this.pos[moved] = i;
    if (!this.up(i)) this.down(i);
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a];
    const kb = this.key[b];
    return ka < kb || (ka === kb && this.tie[a] < this.tie[b]);
  }

  private up(i: number): boolean {
    const items = this.items;
    const id = items[i];
    const start = i;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pid = items[parent];
      if (!this.less(id, pid)) break;
      items[i] = pid;
      this.pos[pid] = i;
      i = parent;
    }
    items[i] = id;
    this.pos[id] = i;
    return i !== start;
  }

  private down(i: number): void {
    const items = this.items;
    const n = this.size;
    const id = items[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(items[r], items[l])) c = r;
      const cid = items[c];
      if (!this.less(cid, id)) break;
      items[i] = cid;
      this.pos[cid] = i;
      i = c;
    }
    items[i] = id;
    this.pos[id] = i;
  }
}
