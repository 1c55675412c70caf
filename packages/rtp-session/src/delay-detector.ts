/**
 * Delay-based overuse detection in the spirit of GCC (draft-ietf-rmcat-gcc-02 §5): packets are
 * grouped into bursts (sent within `burstMs`), the one-way delay variation between consecutive
 * groups is accumulated and smoothed, and the slope of that delay over a window of groups (a
 * "trendline", as libwebrtc uses in place of the draft's Kalman filter) is compared against an
 * adaptive threshold (§5.4) to signal overuse, underuse or normal.
 */

export type BandwidthUsage = 'normal' | 'overusing' | 'underusing';

export interface DelayDetectorOptions {
  /** Packets sent within this span form one group (default 5 ms, §5.2). */
  readonly burstMs?: number;
  /** Groups in the regression window (default 20). */
  readonly windowSize?: number;
  /** Exponential smoothing of the accumulated delay (default 0.9). */
  readonly smoothing?: number;
  /** Initial overuse threshold in ms (default 12.5, §5.4). */
  readonly initialThresholdMs?: number;
}

interface Group {
  firstSend: number;
  lastSend: number;
  lastArrival: number;
  size: number;
}

const TREND_GAIN = 4;
const OVERUSE_TIME_MS = 10;
const K_UP = 0.0087;
const K_DOWN = 0.039;

export class DelayDetector {
  state: BandwidthUsage = 'normal';
  private current: Group | undefined;
  private previous: Group | undefined;
  private firstArrival: number | undefined;
  private accumulated = 0;
  private smoothed = 0;
  private readonly points: { x: number; y: number }[] = [];
  private deltas = 0;
  private threshold: number;
  private lastThresholdUpdate: number | undefined;
  private overuseStart: number | undefined;
  private overuseCount = 0;
  private lastTrend = 0;
  private readonly burst: number;
  private readonly window: number;
  private readonly alpha: number;

  constructor(options: DelayDetectorOptions = {}) {
    this.burst = options.burstMs ?? 5;
    this.window = options.windowSize ?? 20;
    this.alpha = options.smoothing ?? 0.9;
    this.threshold = options.initialThresholdMs ?? 12.5;
  }

  /** The modified trend (ms) last compared against the threshold. */
  get trend(): number {
    return this.lastTrend;
  }

  /** One packet: send time and arrival time in ms (each on its own clock), size in bytes. */
  handlePacket(sendMs: number, arrivalMs: number, size: number): BandwidthUsage {
    const g = this.current;
    if (!g) {
      this.current = { firstSend: sendMs, lastSend: sendMs, lastArrival: arrivalMs, size };
      return this.state;
    }
    if (sendMs < g.firstSend) return this.state; // reordered into an older group: ignore
    if (sendMs - g.firstSend <= this.burst) {
      g.lastSend = Math.max(g.lastSend, sendMs);
      g.lastArrival = Math.max(g.lastArrival, arrivalMs);
      g.size += size;
      return this.state;
    }
    // §5.2: a new group starts; compare the completed one with its predecessor.
    if (this.previous) this.compare(this.previous, g);
    this.previous = g;
    this.current = { firstSend: sendMs, lastSend: sendMs, lastArrival: arrivalMs, size };
    return this.state;
  }

  private compare(prev: Group, cur: Group): void {
    const sendDelta = cur.lastSend - prev.lastSend;
    const arrivalDelta = cur.lastArrival - prev.lastArrival;
    const delta = arrivalDelta - sendDelta;
    this.firstArrival ??= cur.lastArrival;
    this.deltas = Math.min(this.deltas + 1, 1000);
    this.accumulated += delta;
    this.smoothed = this.alpha * this.smoothed + (1 - this.alpha) * this.accumulated;
    this.points.push({ x: cur.lastArrival - this.firstArrival, y: this.smoothed });
    if (this.points.length > this.window) this.points.shift();
    if (this.points.length < this.window) return;
    const slope = linearSlope(this.points);
    const trend = Math.min(this.deltas, 60) * slope * TREND_GAIN;
    this.detect(trend, sendDelta, cur.lastArrival);
  }

  /** §5.4 over-use detector with the adaptive threshold γ. */
  private detect(trend: number, sendDelta: number, now: number): void {
    if (trend > this.threshold) {
      this.overuseStart ??= now;
      this.overuseCount++;
      if (now - this.overuseStart + sendDelta > OVERUSE_TIME_MS && this.overuseCount > 1 && trend >= this.lastTrend) {
        this.state = 'overusing';
        this.overuseStart = undefined;
        this.overuseCount = 0;
      }
    } else if (trend < -this.threshold) {
      this.overuseStart = undefined;
      this.overuseCount = 0;
      this.state = 'underusing';
    } else {
      this.overuseStart = undefined;
      this.overuseCount = 0;
      this.state = 'normal';
    }
    this.lastTrend = trend;
    this.updateThreshold(trend, now);
  }

  private updateThreshold(trend: number, now: number): void {
    const last = this.lastThresholdUpdate ?? now;
    this.lastThresholdUpdate = now;
    const abs = Math.abs(trend);
    // §5.4: do not adapt to spikes far above the threshold (e.g. route changes).
    if (abs > this.threshold + 15) return;
    const k = abs < this.threshold ? K_UP : K_DOWN;
    const dt = Math.min(now - last, 100);
    this.threshold += k * (abs - this.threshold) * dt;
    this.threshold = Math.min(600, Math.max(6, this.threshold));
  }
}

/** Least-squares slope of y over x. */
export function linearSlope(points: readonly { x: number; y: number }[]): number {
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / points.length;
  const my = sy / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) * (p.x - mx);
  }
  return den === 0 ? 0 : num / den;
}
