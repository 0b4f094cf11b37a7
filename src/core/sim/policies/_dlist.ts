/**
 * Intrusive doubly-linked lists of ids. Several lists share one Links when an id can be in at
 * most one of them at a time (e.g. ARC's T1, T2, B1 and B2), so a policy keeps all per-object
 * state in a single Int32Array and allocates nothing per request.
 * Layout: a 16-byte record per id, [prev, next, tag, aux], so that touching an object costs
 * one cache line. `tag` says which list holds the id (0: none); `aux` is free for the policy
 * (a frequency, a visited bit). Direction: head is the newest end, tail the oldest; `next`
 * walks toward the tail.
 */
export class Links {
  readonly rec: Int32Array;
  constructor(idSpace: number) {
    this.rec = new Int32Array(4 * idSpace);
  }

  /** Which list holds id (its tag), 0 when none. */
  tag(id: number): number {
    return this.rec[4 * id + 2];
  }

  aux(id: number): number {
    return this.rec[4 * id + 3];
  }

  setAux(id: number, value: number): void {
    this.rec[4 * id + 3] = value;
  }
}

export class DList {
  head = -1;
  tail = -1;
  /** Number of ids in the list. */
  count = 0;
  /** Sum of the weights given to pushFront/remove. */
  weight = 0;
  private readonly rec: Int32Array;

  /** tag: a small positive number naming this list among those sharing the Links. */
  constructor(links: Links, readonly tag: number) {
    this.rec = links.rec;
  }

  pushFront(id: number, w: number): void {
    const rec = this.rec;
    const h = this.head;
    const i = 4 * id;
    rec[i] = -1;
    rec[i + 1] = h;
    rec[i + 2] = this.tag;
    if (h !== -1) rec[4 * h] = id;
    else this.tail = id;
    this.head = id;
    this.count++;
    this.weight += w;
  }

  remove(id: number, w: number): void {
    const rec = this.rec;
    const i = 4 * id;
    const p = rec[i];
    const n = rec[i + 1];
    if (p !== -1) rec[4 * p + 1] = n;
    else this.head = n;
    if (n !== -1) rec[4 * n] = p;
    else this.tail = p;
    rec[i + 2] = 0;
    this.count--;
    this.weight -= w;
  }

  moveToFront(id: number): void {
    const rec = this.rec;
    const i = 4 * id;
    const p = rec[i];
    if (p === -1) return;
    const n = rec[i + 1];
    rec[4 * p + 1] = n;
    if (n !== -1) rec[4 * n] = p;
    else this.tail = p;
    const h = this.head;
    rec[i] = -1;
    rec[i + 1] = h;
    rec[4 * h] = id;
    this.head = id;
  }

  /** The id one step toward the head (newer), or -1. */
  newer(id: number): number {
    return this.rec[4 * id];
  }

  /** Ids from head (newest) to tail (oldest). */
  toArray(): number[] {
    const out: number[] = [];
    for (let id = this.head; id !== -1; id = this.rec[4 * id + 1]) out.push(id);
    return out;
  }
}
