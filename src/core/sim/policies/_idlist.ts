/**
 * Intrusive doubly-linked lists of ids, like `_dlist.ts`, but with the per-id state split in
 * two arrays: a one-byte `tag` (which list holds the id, 0: none) and the links
 * (`link[2 * id]`: prev, toward the head; `link[2 * id + 1]`: next, toward the tail). A request
 * that only needs to know where an object is reads one byte, so the hot objects' tags share a
 * few cache lines; see docs/sim-speed.md. Several lists (up to 255) share one IdLinks when an
 * id can be in at most one of them at a time. Head is the newest end, tail the oldest.
 */
export class IdLinks {
  readonly tag: Uint8Array;
  readonly link: Int32Array;
  constructor(idSpace: number) {
    this.tag = new Uint8Array(idSpace);
    this.link = new Int32Array(2 * idSpace);
  }
}

export class IdList {
  head = -1;
  tail = -1;
  /** Number of ids in the list. */
  count = 0;
  /** Sum of the weights given to pushFront/remove. */
  weight = 0;
  private readonly tags: Uint8Array;
  private readonly link: Int32Array;

  /** tag: a small positive number naming this list among those sharing the IdLinks. */
  constructor(links: IdLinks, readonly tag: number) {
    this.tags = links.tag;
    this.link = links.link;
  }

  pushFront(id: number, w: number): void {
    const link = this.link;
    const h = this.head;
    link[2 * id] = -1;
    link[2 * id + 1] = h;
    this.tags[id] = this.tag;
    if (h !== -1) link[2 * h] = id;
    else this.tail = id;
    this.head = id;
    this.count++;
    this.weight += w;
  }

  remove(id: number, w: number): void {
    const link = this.link;
    const p = link[2 * id];
    const n = link[2 * id + 1];
    if (p !== -1) link[2 * p + 1] = n;
    else this.head = n;
    if (n !== -1) link[2 * n] = p;
    else this.tail = p;
    this.tags[id] = 0;
    this.count--;
    this.weight -= w;
  }

  moveToFront(id: number): void {
    const link = this.link;
    const p = link[2 * id];
    if (p === -1) return;
    const n = link[2 * id + 1];
    link[2 * p + 1] = n;
    if (n !== -1) link[2 * n] = p;
    else this.tail = p;
    const h = this.head;
    link[2 * id] = -1;
    link[2 * id + 1] = h;
    link[2 * h] = id;
    this.head = id;
  }

  /** Ids from head (newest) to tail (oldest). */
  toArray(): number[] {
    const out: number[] = [];
    for (let id = this.head; id !== -1; id = this.link[2 * id + 1]) out.push(id);
    return out;
  }
}
