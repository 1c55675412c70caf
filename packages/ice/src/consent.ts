import type { RandomSource } from '@rtcwire/common';

/**
 * RFC 7675 consent freshness bookkeeping for the selected pair: when the next consent check is due
 * (randomized 0.8–1.2 × the interval, §5.1), and whether consent is fresh, stale (`disconnected`)
 * or expired (`failed`, 30 s without a response by default).
 */
export class ConsentTracker {
  lastResponseMs = 0;
  nextCheckMs: number | undefined;
  expired = false;

  constructor(
    private readonly random: RandomSource,
    private readonly intervalMs: number,
    readonly disconnectedTimeoutMs: number,
    readonly timeoutMs: number,
  ) {}

  /** A pair was just selected: consent is fresh from now. */
  start(now: number): void {
    this.lastResponseMs = now;
    this.expired = false;
    this.scheduleNext(now);
  }

  stop(): void {
    this.nextCheckMs = undefined;
  }

  refreshed(now: number): void {
    if (!this.expired) this.lastResponseMs = now;
  }

  scheduleNext(now: number): void {
    this.nextCheckMs = now + this.intervalMs * (0.8 + 0.4 * this.random.float());
  }

  /** 'fresh' | 'stale' (→ disconnected) | 'expired' (→ failed; latched). */
  status(now: number): 'fresh' | 'stale' | 'expired' {
    if (this.expired) return 'expired';
    // Compare against the same sums nextDeadline() reports, so floating point cannot make a deadline spin.
    if (now >= this.lastResponseMs + this.timeoutMs) {
      this.expired = true;
      this.nextCheckMs = undefined;
      return 'expired';
    }
    return now >= this.lastResponseMs + this.disconnectedTimeoutMs ? 'stale' : 'fresh';
  }

  /** Next instant at which the status can change or a check is due. */
  nextDeadline(now: number): number | undefined {
    if (this.expired) return undefined;
    const statusChange =
      now < this.lastResponseMs + this.disconnectedTimeoutMs
        ? this.lastResponseMs + this.disconnectedTimeoutMs
        : this.lastResponseMs + this.timeoutMs;
    return this.nextCheckMs === undefined ? statusChange : Math.min(statusChange, this.nextCheckMs);
  }
}
