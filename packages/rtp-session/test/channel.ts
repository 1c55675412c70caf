/**
 * A seeded, lossy, delaying one-way channel for the simulations: uniform random loss, Gilbert–
 * Elliott burst loss, uniform delay jitter (which reorders), and an optional bottleneck with a
 * FIFO queue (serialisation at `capacityBps`). It records the truth the interceptors are checked
 * against: what was dropped and when each item arrived.
 */
import type { RandomSource } from '@rtcwire/common';

export interface ChannelOptions {
  readonly latencyMs: number;
  /** Extra delay drawn uniformly from [0, jitterMs) per item (reorders items). */
  readonly jitterMs?: number;
  /** Uniform random loss probability. */
  readonly loss?: number;
  /**
   * Gilbert–Elliott: P(good → bad) and P(bad → good) per item sent (default) or per millisecond
   * (`perMs`, for sparse traffic such as RTCP, where per-item bursts would last seconds);
   * everything is lost while bad.
   */
  readonly burst?: { readonly enter: number; readonly exit: number; readonly perMs?: boolean };
  /** Bottleneck rate in bit/s (unlimited when absent). */
  readonly capacityBps?: number;
}

interface InFlight<T> {
  readonly at: number;
  readonly order: number;
  readonly item: T;
}

export class Channel<T> {
  sent = 0;
  dropped = 0;
  burstDropped = 0;
  delivered = 0;
  private bad = false;
  private burstClock = 0;
  private order = 0;
  private linkFreeAt = 0;
  private inFlight: InFlight<T>[] = [];

  constructor(
    private readonly random: RandomSource,
    public options: ChannelOptions,
  ) {}

  /** Send `item` (`size` bytes); returns false when the channel dropped it. */
  send(now: number, item: T, size = 1200): boolean {
    this.sent++;
    const o = this.options;
    if (o.burst) {
      const steps = o.burst.perMs ? Math.max(0, Math.floor(now) - this.burstClock) : 1;
      this.burstClock = Math.max(this.burstClock, Math.floor(now));
      for (let i = 0; i < steps; i++) {
        this.bad = this.bad ? this.random.float() >= o.burst.exit : this.random.float() < o.burst.enter;
      }
      if (this.bad) {
        this.dropped++;
        this.burstDropped++;
        return false;
      }
    }
    if (o.loss && this.random.float() < o.loss) {
      this.dropped++;
      return false;
    }
    let departure = now;
    if (o.capacityBps) {
      departure = Math.max(now, this.linkFreeAt) + (size * 8 * 1000) / o.capacityBps;
      this.linkFreeAt = departure;
    }
    const at = departure + o.latencyMs + (o.jitterMs ? this.random.float() * o.jitterMs : 0);
    this.inFlight.push({ at, order: this.order++, item });
    return true;
  }

  /** Items arriving at or before `now`, in arrival order. */
  receive(now: number): { at: number; item: T }[] {
    const due = this.inFlight.filter((f) => f.at <= now).sort((a, b) => a.at - b.at || a.order - b.order);
    if (due.length === 0) return [];
    this.inFlight = this.inFlight.filter((f) => f.at > now);
    this.delivered += due.length;
    return due.map((f) => ({ at: f.at, item: f.item }));
  }

  get pending(): number {
    return this.inFlight.length;
  }
}
