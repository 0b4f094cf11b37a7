/**
 * An intrusive doubly-linked list of ids. Several lists may share one Links when an id can be
 * in at most one of them at a time (e.g. ARC's T1, T2, B1 and B2), which keeps memory at one
 * Int32Array for the whole policy and allocates nothing per request.
 * Layout: prev and next of id sit side by side (link[2*id], link[2*id+1]) so that touching an
 * object costs one cache line instead of two; prev = -2 marks an id that is in no list.
 * Direction: head is the newest end, tail the oldest; `next` walks toward the tail.
 */
export class Links {
  readonly link: Int32Array;
  constructor(idSpace: number) {
    this.link = new Int32Array(2 * idSpace).fill(-2);
  }
}

const ABSENT = -2;

export class DList {
  head = -1;
  tail = -1;
  /** Number of ids in the list. */
  count = 0;
  /** Sum of the weights given to pushFront/remove. */
  weight = 0;
  private readonly link: Int32Array;

  constructor(links: Links) {
    this.link = links.link;
  }

  /** True when id is in this list or in another list sharing the same Links. */
  has(id: number): boolean {
    return this.link[2 * id] !== ABSENT;
  }

  pushFront(id: number, w: number): void {
    const link = this.link;
    const h = this.head;
    link[2 * id] = -1;
    link[2 * id + 1] = h;
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
    link[2 * id] = ABSENT;
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

  /** The id one step toward the head (newer), or -1. */
  newer(id: number): number {
    return this.link[2 * id];
  }

  /** Ids from head (newest) to tail (oldest). */
  toArray(): number[] {
    const out: number[] = [];
    for (let id = this.head; id !== -1; id = this.link[2 * id + 1]) out.push(id);
    return out;
  }
}
