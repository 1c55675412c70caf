/**
 * Copy-on-write listener list: subscribing and unsubscribing replace the array, so delivering an
 * event iterates the current array without copying it (no allocation per event), and listeners
 * added or removed during delivery take effect from the next event.
 */
export class Listeners<F> {
  private items: readonly F[] = [];

  get current(): readonly F[] {
    return this.items;
  }

  get size(): number {
    return this.items.length;
  }

  add(listener: F): () => void {
    this.items = [...this.items, listener];
    return () => {
      const i = this.items.indexOf(listener);
      if (i >= 0) this.items = [...this.items.slice(0, i), ...this.items.slice(i + 1)];
    };
  }
}
