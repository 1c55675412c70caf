/**
 * AIMD rate control driven by the delay detector (draft-ietf-rmcat-gcc-02 §5.5): increase
 * multiplicatively (8 %/s) while the path is "normal", hold on underuse, and on overuse drop to
 * β = 0.85 times the throughput actually received. An increase is capped near 1.5× the received
 * throughput so the estimate cannot run away from what the link has shown it carries.
 */
import type { BandwidthUsage } from './delay-detector.js';

export interface RateControlOptions {
  readonly initialBitrate?: number;
  readonly minBitrate?: number;
  readonly maxBitrate?: number;
}

export class AimdRateControl {
  bitrate: number;
  private state: 'increase' | 'hold' | 'decrease' = 'increase';
  private lastUpdate: number | undefined;
  readonly minBitrate: number;
  readonly maxBitrate: number;

  constructor(options: RateControlOptions = {}) {
    this.bitrate = options.initialBitrate ?? 300_000;
    this.minBitrate = options.minBitrate ?? 30_000;
    this.maxBitrate = options.maxBitrate ?? 20_000_000;
  }

  /** Update with the detector's signal and the received throughput (bit/s, if known). */
  update(now: number, usage: BandwidthUsage, receivedBitrate: number | undefined): number {
    const dt = this.lastUpdate === undefined ? 0 : Math.min(now - this.lastUpdate, 1000);
    this.lastUpdate = now;
    // §5.5 state machine.
    if (usage === 'overusing') this.state = 'decrease';
    else if (usage === 'underusing') this.state = 'hold';
    else if (this.state !== 'increase') this.state = this.state === 'decrease' ? 'hold' : 'increase';
    switch (this.state) {
      case 'increase': {
        const next = this.bitrate * 1.08 ** (dt / 1000) + 1000 * (dt / 1000);
        const cap = receivedBitrate === undefined ? Number.POSITIVE_INFINITY : 1.5 * receivedBitrate + 10_000;
        this.bitrate = Math.max(this.bitrate, Math.min(next, cap));
        break;
      }
      case 'decrease': {
        const base = receivedBitrate ?? this.bitrate;
        this.bitrate = Math.min(this.bitrate, 0.85 * base);
        this.state = 'hold';
        break;
      }
      case 'hold':
        break;
    }
    this.bitrate = Math.min(this.maxBitrate, Math.max(this.minBitrate, this.bitrate));
    return this.bitrate;
  }
}

/** Throughput over a sliding window of (time, bytes) samples, in bit/s. */
export class RateWindow {
  private readonly samples: { at: number; bytes: number }[] = [];
  private total = 0;

  constructor(private readonly windowMs = 500) {}

  add(at: number, bytes: number): void {
    this.samples.push({ at, bytes });
    this.total += bytes;
  }

  /** Undefined until the window holds samples spanning at least half of it. */
  rate(now: number): number | undefined {
    while (this.samples.length > 0 && (this.samples[0] as { at: number }).at <= now - this.windowMs) {
      this.total -= (this.samples.shift() as { bytes: number }).bytes;
    }
    const first = this.samples[0];
    if (!first || now - first.at < this.windowMs / 2) return undefined;
    return (this.total * 8 * 1000) / this.windowMs;
  }
}
