/**
 * Drop counters: every receive path that discards remote input counts it here by reason, so stats
 * and debug logs can show what was dropped and why (ARCHITECTURE.md principle 4).
 */
export class DropCounters {
  private readonly counts = new Map<string, number>();

  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  get(reason: string): number {
    return this.counts.get(reason) ?? 0;
  }

  get total(): number {
    let t = 0;
    for (const v of this.counts.values()) t += v;
    return t;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
