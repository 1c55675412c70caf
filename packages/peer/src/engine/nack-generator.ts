import { type Millis, Unwrapper } from '@rtcwire/common';

interface Missing {
  firstMs: Millis;
  lastSentMs: Millis;
  attempts: number;
}

export interface NackGeneratorOptions {
  /** Re-request a still-missing packet after this long (ms). */
  readonly retryMs?: number;
  /** Requests per missing packet before giving up. */
  readonly maxAttempts?: number;
  /** Forget a missing packet after this long (ms): it is too late to help the frame assembler. */
  readonly maxAgeMs?: number;
  /** At most this many sequence numbers tracked; a bigger jump is a restart, not loss. */
  readonly maxMissing?: number;
}

/**
 * Receiver-side generic NACK (RFC 4585 §6.2.1) for one media SSRC: a gap in sequence numbers is
 * requested at once, and again every `retryMs` while packets keep arriving (each arrival is the
 * clock: no timer of its own), until it arrives (directly or via RTX) or `maxAttempts` is reached.
 */
export class NackGenerator {
  private readonly unwrapper = new Unwrapper(16);
  private highest: number | undefined;
  private readonly missing = new Map<number, Missing>();
  private readonly retryMs: number;
  private readonly maxAttempts: number;
  private readonly maxAgeMs: number;
  private readonly maxMissing: number;
  requested = 0;

  constructor(options: NackGeneratorOptions = {}) {
    this.retryMs = options.retryMs ?? 20;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
    this.maxMissing = options.maxMissing ?? 256;
  }

  /** A media packet with 16-bit sequence number `seq` arrived; returns the 16-bit numbers to NACK now. */
  onPacket(now: Millis, seq: number, recovered = false): number[] {
    const ext = this.unwrapper.unwrap(seq);
    this.missing.delete(ext);
    if (!recovered) {
      if (this.highest === undefined || ext - this.highest > this.maxMissing) {
        this.highest = ext;
        this.missing.clear();
      } else if (ext > this.highest) {
        for (let s = this.highest + 1; s < ext; s++)
          this.missing.set(s, { firstMs: now, lastSentMs: -Infinity, attempts: 0 });
        this.highest = ext;
      }
    }
    const out: number[] = [];
    for (const [s, m] of this.missing) {
      if (now - m.firstMs > this.maxAgeMs || m.attempts >= this.maxAttempts) {
        this.missing.delete(s);
        continue;
      }
      if (now - m.lastSentMs < this.retryMs) continue;
      m.lastSentMs = now;
      m.attempts++;
      out.push(s & 0xffff);
    }
    this.requested += out.length;
    return out;
  }
}
