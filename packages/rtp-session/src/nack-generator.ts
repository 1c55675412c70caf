/**
 * Receiver-side NACK generation (RFC 4585 §6.2.1 Generic NACK, RFC 4588 §3 for the RTT-aware
 * retry policy). Sans-IO: feed every received media packet (`handlePacket`), drive
 * `handleTimeout`, drain `pollNack()`; when a packet is given up (too many retries, too old, or too
 * many missing) `pollKeyframeNeeded()` reports that only a keyframe can repair the stream.
 *
 * Reordering is not loss: the first NACK for a gap waits for an adaptive reorder delay learned
 * from packets that arrived late on their own (95th percentile of recent ones, clamped), so a
 * network that reorders within tens of milliseconds does not cause a NACK storm.
 */
import { Unwrapper } from '@rtcwire/common';
import { type GenericNack, nackItemsFromSequences } from '@rtcwire/rtp';

export interface NackGeneratorOptions {
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  /** NACKs per missing packet before giving up (default 10). */
  readonly maxRetries?: number;
  /** Give up on a packet missing for longer than this (default 1000 ms). */
  readonly maxPacketAgeMs?: number;
  /** More missing packets than this: give up on all of them (default 1000). */
  readonly maxMissing?: number;
  /** Initial round-trip estimate until `setRoundTripTime` is called (default 100 ms). */
  readonly initialRttMs?: number;
  /** Bounds of the adaptive wait before the first NACK of a gap (default 5 and 120 ms). */
  readonly minReorderWaitMs?: number;
  readonly maxReorderWaitMs?: number;
}

interface Missing {
  readonly detectedAt: number;
  retries: number;
  nextAt: number;
}

export interface NackPacketInfo {
  /** The packet was restored from RTX: it fills its gap but says nothing about reordering. */
  readonly retransmitted?: boolean;
}

const REORDER_SAMPLES = 100;

export class NackGenerator {
  /** NACK messages produced (getStats `nackCount` counts these). */
  nackCount = 0;
  /** Sequence numbers requested, retries included. */
  nackedPackets = 0;
  /** Packets given up (turned into a keyframe request). */
  packetsGivenUp = 0;
  /** Packets that arrived after their first NACK without being flagged as retransmissions. */
  lateAfterNack = 0;
  private readonly seqs = new Unwrapper(16);
  private highest: number | undefined;
  /** Lowest sequence number received: packets reordered before the first one extend the range. */
  private lowest = 0;
  private readonly missing = new Map<number, Missing>();
  private readonly queue: GenericNack[] = [];
  private keyframeNeeded = false;
  private rttMs: number;
  private readonly reorderSamples: number[] = [];
  /** The same samples kept in ascending order (binary insertion: no sort per packet). */
  private readonly sortedReorderSamples: number[] = [];
  private reorderWaitMs: number;
  /** New samples since `reorderWaitMs` was computed: the percentile is recomputed when a gap needs it. */
  private reorderStale = false;
  private readonly maxRetries: number;
  private readonly maxAgeMs: number;
  private readonly maxMissing: number;
  private readonly minWait: number;
  private readonly maxWait: number;

  constructor(private readonly options: NackGeneratorOptions) {
    this.maxRetries = options.maxRetries ?? 10;
    this.maxAgeMs = options.maxPacketAgeMs ?? 1000;
    this.maxMissing = options.maxMissing ?? 1000;
    this.rttMs = options.initialRttMs ?? 100;
    this.minWait = options.minReorderWaitMs ?? 5;
    this.maxWait = options.maxReorderWaitMs ?? 120;
    this.reorderWaitMs = this.minWait;
  }

  /** Round-trip time from RTCP (RR/XR), used to space retries. */
  setRoundTripTime(rttMs: number): void {
    if (Number.isFinite(rttMs) && rttMs >= 0) this.rttMs = rttMs;
  }

  get missingCount(): number {
    return this.missing.size;
  }

  /** The current wait before a gap is first NACKed. */
  get reorderWait(): number {
    return this.currentReorderWait();
  }

  handlePacket(now: number, sequenceNumber: number, info: NackPacketInfo = {}): void {
    const seq = this.seqs.unwrap(sequenceNumber & 0xffff);
    if (this.highest === undefined) {
      this.highest = seq;
      this.lowest = seq;
      return;
    }
    if (seq < this.lowest) {
      // Reordered before the first packet seen: everything between was not received either.
      if (this.lowest - seq > this.maxMissing) return;
      const wait = this.currentReorderWait();
      for (let s = seq + 1; s < this.lowest; s++) {
        this.missing.set(s, { detectedAt: now, retries: 0, nextAt: now + wait });
      }
      this.lowest = seq;
      // The same bound as for forward gaps: several backward fills can add up past it.
      if (this.missing.size > this.maxMissing) this.dropOldest(this.missing.size - this.maxMissing);
      return;
    }
    if (seq <= this.highest) {
      const entry = this.missing.get(seq);
      if (!entry) return; // duplicate
      this.missing.delete(seq);
      if (info.retransmitted) return;
      if (entry.retries > 0) this.lateAfterNack++;
      this.observeReorder(now - entry.detectedAt);
      return;
    }
    const gap = seq - this.highest - 1;
    if (gap > this.maxMissing) {
      // A jump too large to repair by retransmission (RFC 4585 §3.5.3 leaves this to the receiver).
      this.giveUp(this.missing.size + gap);
      this.missing.clear();
    } else if (gap > 0) {
      const wait = this.currentReorderWait();
      for (let s = this.highest + 1; s < seq; s++) {
        this.missing.set(s, { detectedAt: now, retries: 0, nextAt: now + wait });
      }
      if (this.missing.size > this.maxMissing) this.dropOldest(this.missing.size - this.maxMissing);
    }
    this.highest = seq;
  }

  handleTimeout(now: number): void {
    const due: number[] = [];
    let gaveUp = 0;
    for (const [seq, m] of this.missing) {
      if (m.nextAt > now) continue;
      if (m.retries >= this.maxRetries || now - m.detectedAt >= this.maxAgeMs) {
        this.missing.delete(seq);
        gaveUp++;
        continue;
      }
      m.retries++;
      // RFC 4588 §3 / RFC 4585 §3.5: repeat only after the retransmission had time to arrive.
      m.nextAt = now + Math.max(20, this.rttMs * 1.25);
      due.push(seq);
    }
    if (gaveUp > 0) this.giveUp(gaveUp);
    if (due.length === 0) return;
    this.nackCount++;
    this.nackedPackets += due.length;
    this.queue.push({
      type: 'nack',
      senderSsrc: this.options.senderSsrc,
      mediaSsrc: this.options.mediaSsrc,
      items: nackItemsFromSequences(due.sort((a, b) => a - b).map((s) => s & 0xffff)),
    });
  }

  pollTimeout(): number | undefined {
    let at: number | undefined;
    for (const m of this.missing.values()) if (at === undefined || m.nextAt < at) at = m.nextAt;
    return at;
  }

  pollNack(): GenericNack | undefined {
    return this.queue.shift();
  }

  /** True once after packets were given up: request a keyframe (PLI/FIR). */
  pollKeyframeNeeded(): boolean {
    const v = this.keyframeNeeded;
    this.keyframeNeeded = false;
    return v;
  }

  private giveUp(n: number): void {
    if (n <= 0) return;
    this.packetsGivenUp += n;
    this.keyframeNeeded = true;
  }

  private dropOldest(n: number): void {
    const oldest = [...this.missing.keys()].sort((a, b) => a - b).slice(0, n);
    for (const seq of oldest) this.missing.delete(seq);
    this.giveUp(oldest.length);
  }

  private observeReorder(delayMs: number): void {
    const sample = Math.max(0, delayMs);
    this.reorderSamples.push(sample);
    insertSorted(this.sortedReorderSamples, sample);
    if (this.reorderSamples.length > REORDER_SAMPLES) {
      const evicted = this.reorderSamples.shift() as number;
      this.sortedReorderSamples.splice(lowerBound(this.sortedReorderSamples, evicted), 1);
    }
    this.reorderStale = true;
  }

  /** 95th percentile of recent reorder delays + 5 ms, clamped (computed when a gap opens, not per late packet). */
  private currentReorderWait(): number {
    if (this.reorderStale) {
      this.reorderStale = false;
      const sorted = this.sortedReorderSamples;
      const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] as number;
      this.reorderWaitMs = Math.min(this.maxWait, Math.max(this.minWait, p95 + 5));
    }
    return this.reorderWaitMs;
  }
}

/** First index in ascending `a` whose value is ≥ `v`. */
function lowerBound(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(a: number[], v: number): void {
  a.splice(lowerBound(a, v), 0, v);
}
