/**
 * An unbounded async iterator fed by the driver: events are queued until the consumer pulls them.
 * Only iterators that exist hold events, so a driver with no iterator keeps nothing.
 */
export class EventQueue<E> implements AsyncIterableIterator<E> {
  private readonly items: E[] = [];
  private head = 0;
  private waiting: ((r: IteratorResult<E>) => void) | undefined;
  private done = false;

  constructor(private readonly onReturn: () => void) {}

  push(e: E): void {
    if (this.done) return;
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w({ value: e, done: false });
    } else {
      this.items.push(e);
    }
  }

  end(): void {
    this.done = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<E>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++] as E;
      if (this.head === this.items.length) {
        this.items.length = 0;
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<E>> {
    this.items.length = 0;
    this.head = 0;
    this.end();
    this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<E> {
    return this;
  }
}
