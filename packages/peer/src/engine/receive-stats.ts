import { seq16Diff } from '@rtcwire/common';
import type { ReportBlock } from '@rtcwire/rtp';

/**
 * Per-SSRC reception statistics for receiver reports (RFC 3550 §6.4.1, Appendix A.3 and A.8):
 * extended highest sequence, cumulative and fractional loss, interarrival jitter, LSR/DLSR.
 */
export class ReceiveStatistics {
  packetsReceived = 0;
  bytesReceived = 0;
  private baseSeq = -1;
  private maxSeq = 0;
  private cycles = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | undefined;
  /** Interarrival jitter estimate in RTP timestamp units (RFC 3550 §6.4.1, A.8). */
  jitter = 0;
  private lastSrMiddle = 0;
  private lastSrArrivalMs: number | undefined;

  constructor(
    readonly ssrc: number,
    private readonly clockRate: number,
  ) {}

  handlePacket(nowMs: number, sequenceNumber: number, rtpTimestamp: number, size: number): void {
    this.packetsReceived++;
    this.bytesReceived += size;
    if (this.baseSeq < 0) {
      this.baseSeq = sequenceNumber;
      this.maxSeq = sequenceNumber;
    } else {
      const delta = seq16Diff(sequenceNumber, this.maxSeq);
      if (delta > 0) {
        if (sequenceNumber < this.maxSeq) this.cycles += 0x10000;
        this.maxSeq = sequenceNumber;
      }
    }
    // A.8: transit = arrival (in RTP units) - timestamp; J += (|D| - J) / 16.
    const arrival = (nowMs * this.clockRate) / 1000;
    const transit = arrival - rtpTimestamp;
    if (this.transit !== undefined) {
      let d = Math.abs(transit - this.transit);
      if (d > 2 ** 31) d = Math.abs(d - 2 ** 32);
      this.jitter += (d - this.jitter) / 16;
    }
    this.transit = transit;
  }

  handleSenderReport(nowMs: number, ntpMiddle32: number): void {
    this.lastSrMiddle = ntpMiddle32;
    this.lastSrArrivalMs = nowMs;
  }

  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  /** Packets lost since the start (RFC 3550 A.3): expected - received. */
  get cumulativeLost(): number {
    if (this.baseSeq < 0) return 0;
    return this.extendedHighestSequence - this.baseSeq + 1 - this.packetsReceived;
  }

  /** A report block, advancing the interval counters used for `fractionLost`. */
  reportBlock(nowMs: number): ReportBlock {
    const expected = this.baseSeq < 0 ? 0 : this.extendedHighestSequence - this.baseSeq + 1;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.packetsReceived - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.packetsReceived;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    const dlsr = this.lastSrArrivalMs === undefined ? 0 : Math.round(((nowMs - this.lastSrArrivalMs) / 1000) * 65536);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, this.cumulativeLost)),
      extendedHighestSequence: this.extendedHighestSequence >>> 0,
      jitter: Math.floor(this.jitter) >>> 0,
      lastSr: this.lastSrMiddle >>> 0,
      delaySinceLastSr: dlsr >>> 0,
    };
  }
}
