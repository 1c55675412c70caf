/**
 * A leaky-bucket pacer: packets leave at `pacingFactor` × the target bitrate (libwebrtc uses 2.5)
 * so an encoder's frame-sized bursts are spread instead of overflowing bottleneck queues. The
 * budget is refilled continuously and capped at `maxBurstMs` of data; high-priority packets
 * (audio, retransmissions) go first. Sans-IO: `enqueue`, `poll(now)`, `pollTimeout()`.
 */

export interface PacerOptions {
  /** Target bitrate in bit/s. */
  readonly bitrate: number;
  /** Multiplier on the target (default 2.5). */
  readonly pacingFactor?: number;
  /** Largest burst allowed after an idle period, in ms of data (default 10). */
  readonly maxBurstMs?: number;
  /** Granularity of wake-ups (default 5 ms). */
  readonly intervalMs?: number;
}

interface Queued<T> {
  readonly item: T;
  readonly size: number;
  readonly enqueuedAt: number;
}

export class Pacer<T> {
  packetsSent = 0;
  bytesSent = 0;
  private readonly high: Queued<T>[] = [];
  private readonly normal: Queued<T>[] = [];
  private budget = 0;
  private last: number | undefined;
  private bytesPerMs = 0;
  private readonly factor: number;
  private readonly maxBurst: number;
  private readonly interval: number;

  constructor(options: PacerOptions) {
    this.factor = options.pacingFactor ?? 2.5;
    this.maxBurst = options.maxBurstMs ?? 10;
    this.interval = options.intervalMs ?? 5;
    this.setBitrate(options.bitrate);
  }

  setBitrate(bitrate: number): void {
    this.bytesPerMs = Math.max(1, (bitrate * this.factor) / 8000);
  }

  get queued(): number {
    return this.high.length + this.normal.length;
  }

  /** Time the oldest queued packet has waited. */
  queueDelay(now: number): number {
    const oldest = this.high[0] ?? this.normal[0];
    return oldest ? now - oldest.enqueuedAt : 0;
  }

  enqueue(now: number, item: T, size: number, priority: 'high' | 'normal' = 'normal'): void {
    this.refill(now);
    (priority === 'high' ? this.high : this.normal).push({ item, size, enqueuedAt: now });
  }

  /** The next packet allowed to leave at `now`, if any. */
  poll(now: number): T | undefined {
    this.refill(now);
    if (this.budget < 0) return undefined;
    const next = this.high.shift() ?? this.normal.shift();
    if (!next) return undefined;
    // The budget may go negative by one packet; the debt delays the following ones.
    this.budget -= next.size;
    this.packetsSent++;
    this.bytesSent += next.size;
    return next.item;
  }

  /** When `poll` may return the next packet, if one is queued and out of budget now. */
  pollTimeout(): number | undefined {
    if (this.queued === 0 || this.last === undefined) return undefined;
    if (this.budget >= 0) return this.last;
    const wait = -this.budget / this.bytesPerMs;
    return this.last + Math.max(this.interval, Math.ceil(wait / this.interval) * this.interval);
  }

  private refill(now: number): void {
    if (this.last === undefined) {
      this.last = now;
      this.budget = this.bytesPerMs * this.maxBurst;
      return;
    }
    if (now <= this.last) return;
    this.budget = Math.min(this.bytesPerMs * this.maxBurst, this.budget + (now - this.last) * this.bytesPerMs);
    this.last = now;
  }
}
