/**
 * Per-SSRC reception statistics for receiver reports (RFC 3550 §6.4.1, Appendix A.3 and A.8):
 * extended highest sequence, cumulative and interval ("fraction") loss, interarrival jitter and
 * LSR/DLSR. A drop-in superset of the engine's former `ReceiveStatistics`: same constructor,
 * `handlePacket`, `handleSenderReport`, `reportBlock`, plus getStats-shaped fields.
 */
import { Unwrapper } from '@rtcwire/common';
import type { ReportBlock } from '@rtcwire/rtp';
import { msToCompactNtp } from '@rtcwire/rtp';

export interface ReceivePacketInfo {
  /** A packet restored from RTX (RFC 4588): counted as received, but excluded from jitter. */
  readonly retransmitted?: boolean;
}

export class ReceiveStatistics {
  packetsReceived = 0;
  bytesReceived = 0;
  /** Packets whose sequence number was already received (counted, as RFC 3550 A.3 requires). */
  packetsDuplicated = 0;
  packetsRetransmitted = 0;
  /** Interarrival jitter estimate in RTP timestamp units (RFC 3550 §6.4.1, A.8). */
  jitter = 0;
  private readonly seqs = new Unwrapper(16);
  private baseSeq: number | undefined;
  private maxSeq = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | undefined;
  private lastSrMiddle = 0;
  private lastSrArrivalMs: number | undefined;
  /** Arrival time of the last SR, kept for getStats' `remote-outbound-rtp`. */
  lastSenderReportAtMs: number | undefined;

  constructor(
    readonly ssrc: number,
    private readonly clockRate: number,
  ) {}

  handlePacket(
    nowMs: number,
    sequenceNumber: number,
    rtpTimestamp: number,
    size: number,
    info: ReceivePacketInfo = {},
  ): void {
    this.packetsReceived++;
    this.bytesReceived += size;
    const seq = this.seqs.unwrap(sequenceNumber & 0xffff);
    if (this.baseSeq === undefined) {
      this.baseSeq = seq;
      this.maxSeq = seq;
    } else if (seq > this.maxSeq) {
      this.maxSeq = seq;
    } else if (seq < this.baseSeq) {
      // Reordered before the first packet seen: the expected count grows backwards (A.3).
      this.baseSeq = seq;
    }
    if (info.retransmitted) {
      this.packetsRetransmitted++;
      return;
    }
    // RFC 3550 A.8: transit = arrival (RTP units) - timestamp; J += (|D| - J) / 16.
    const arrival = (nowMs * this.clockRate) / 1000;
    const transit = arrival - (rtpTimestamp >>> 0);
    if (this.transit !== undefined) {
      let d = Math.abs(transit - this.transit);
      if (d > 2 ** 31) d = Math.abs(d - 2 ** 32);
      this.jitter += (d - this.jitter) / 16;
    }
    this.transit = transit;
  }

  /** Mark a packet as a duplicate instead of calling `handlePacket` (kept out of the counts). */
  handleDuplicate(): void {
    this.packetsDuplicated++;
  }

  handleSenderReport(nowMs: number, ntpMiddle32: number): void {
    this.lastSrMiddle = ntpMiddle32 >>> 0;
    this.lastSrArrivalMs = nowMs;
    this.lastSenderReportAtMs = nowMs;
  }

  /** Extended highest sequence number received (cycles << 16 | max), RFC 3550 §6.4.1. */
  get extendedHighestSequence(): number {
    return this.maxSeq;
  }

  /** Packets expected since the first one (RFC 3550 A.3). */
  get packetsExpected(): number {
    return this.baseSeq === undefined ? 0 : this.maxSeq - this.baseSeq + 1;
  }

  /** Packets lost since the start (RFC 3550 A.3): expected - received; may be negative with duplicates. */
  get cumulativeLost(): number {
    return this.packetsExpected - this.packetsReceived;
  }

  /** getStats `packetsLost`. */
  get packetsLost(): number {
    return this.cumulativeLost;
  }

  /** getStats `jitter`, in seconds. */
  get jitterSeconds(): number {
    return this.clockRate > 0 ? this.jitter / this.clockRate : 0;
  }

  /** A report block, advancing the interval counters used for `fractionLost` (RFC 3550 A.3). */
  reportBlock(nowMs: number): ReportBlock {
    const expected = this.packetsExpected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.packetsReceived - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.packetsReceived;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    // RFC 3550 §6.4.1: DLSR in 1/65536 s since the last SR, 0 when none was received.
    const dlsr = this.lastSrArrivalMs === undefined ? 0 : msToCompactNtp(nowMs - this.lastSrArrivalMs);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      // 24-bit signed, clamped (RFC 3550 A.3).
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, this.cumulativeLost)),
      extendedHighestSequence: this.extendedHighestSequence >>> 0,
      jitter: Math.floor(this.jitter) >>> 0,
      lastSr: this.lastSrMiddle,
      delaySinceLastSr: dlsr,
    };
  }
}
