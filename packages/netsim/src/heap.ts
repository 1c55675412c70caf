/**
 * A binary min-heap of scheduled simulator events, ordered by (time, insertion sequence) so that
 * events due at the same instant run in the order they were scheduled: this keeps runs reproducible.
 */
export interface Scheduled {
  readonly atMs: number;
  readonly seq: number;
  readonly run: () => void;
}

export class EventHeap {
  private readonly items: Scheduled[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  push(atMs: number, run: () => void): void {
    const item: Scheduled = { atMs, seq: this.nextSeq++, run };
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, a[parent] as Scheduled)) break;
      a[i] = a[parent] as Scheduled;
      i = parent;
    }
    a[i] = item;
  }

  peekTime(): number | undefined {
    return this.items[0]?.atMs;
  }

  pop(): Scheduled | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let best: Scheduled = last;
      if (l < a.length && before(a[l] as Scheduled, best)) {
        m = l;
        best = a[l] as Scheduled;
      }
      if (r < a.length && before(a[r] as Scheduled, best)) m = r;
      if (m === i) break;
      a[i] = a[m] as Scheduled;
      i = m;
    }
    a[i] = last;
    return top;
  }
}

function before(x: Scheduled, y: Scheduled): boolean {
  return x.atMs < y.atMs || (x.atMs === y.atMs && x.seq < y.seq);
}
