/**
 * Per-SSRC reception statistics for receiver reports (RFC 3550 §6.4.1, Appendix A.3 and A.8):
 * extended highest sequence, cumulative and interval ("fraction") loss, interarrival jitter and
 * LSR/DLSR. A drop-in superset of the engine's former `ReceiveStatistics`: same constructor,
 * `handlePacket`, `handleSenderReport`, `reportBlock`, plus getStats-shaped fields.
 */
import { seq16Diff } from '@rtcwire/common';
import type { ReportBlock } from '@rtcwire/rtp';
import { msToCompactNtp } from '@rtcwire/rtp';

/** RFC 3550 A.1 limits. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

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
  private baseSeq: number | undefined;
  /** Extended (cycles × 65536 + seq) highest sequence number. */
  private maxSeq = 0;
  /** RFC 3550 A.1: after a jump, the sequence number that confirms a restarted source. */
  private badSeq: number | undefined;
  /** Packets counted for loss since the (re)start; `packetsReceived` counts all. */
  private received = 0;
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
    if (!this.trackSequence(sequenceNumber & 0xffff)) return;
    this.received++;
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

  /**
   * RFC 3550 A.1 sequence validation: a gap below MAX_DROPOUT or a reorder within MAX_MISORDER
   * updates the extended highest sequence; any larger jump is ignored unless the next packet
   * follows it, in which case the source restarted and the counters start over. Packets reordered
   * before the first one seen move the base back (they were expected all along).
   */
  private trackSequence(seq: number): boolean {
    if (this.baseSeq === undefined) {
      this.restart(seq);
      return true;
    }
    const d = seq16Diff(seq, this.maxSeq & 0xffff);
    if (d >= 0 && d < MAX_DROPOUT) {
      this.maxSeq += d;
      this.badSeq = undefined;
      return true;
    }
    if (d < 0 && d >= -MAX_MISORDER) {
      const ext = this.maxSeq + d;
      if (ext < this.baseSeq) this.baseSeq = ext;
      return true;
    }
    if (seq === this.badSeq) {
      this.restart(seq);
      return true;
    }
    this.badSeq = (seq + 1) & 0xffff;
    return false;
  }

  private restart(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = undefined;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.transit = undefined;
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
    return this.packetsExpected - this.received;
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
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
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
