/**
 * Sender-side RTCP: sender reports (RFC 3550 §6.4.1: NTP/RTP timestamp pair plus packet and
 * octet counts) and what the remote's report blocks say about our stream (getStats'
 * `remote-inbound-rtp`: fraction lost, packets lost, jitter, round-trip time from LSR/DLSR).
 */
import { ntpFromUnixMs, ntpMiddle32, type ReportBlock, roundTripTimeMs, type SenderReport } from '@rtcwire/rtp';

export class SenderStatistics {
  packetsSent = 0;
  /** Payload octets sent (RFC 3550 §6.4.1: headers and padding excluded). */
  octetsSent = 0;
  // remote-inbound-rtp
  roundTripTimeMs: number | undefined;
  /** Sum of all RTT measurements (getStats `totalRoundTripTime`, in ms here) and their count. */
  totalRoundTripTimeMs = 0;
  roundTripTimeMeasurements = 0;
  fractionLost = 0;
  packetsLost = 0;
  /** Remote jitter in seconds. */
  jitter = 0;
  reportsReceived = 0;
  private lastRtpTimestamp: number | undefined;
  private lastSentAt = 0;

  constructor(
    readonly ssrc: number,
    private readonly clockRate: number,
  ) {}

  /** A media packet left (retransmissions are not counted, §6.4.1 counts original data). */
  handlePacketSent(now: number, rtpTimestamp: number, payloadBytes: number): void {
    this.packetsSent++;
    this.octetsSent += payloadBytes;
    this.lastRtpTimestamp = rtpTimestamp >>> 0;
    this.lastSentAt = now;
  }

  /** The RTP timestamp corresponding to `now`, extrapolated from the last packet sent. */
  rtpTimestampAt(now: number): number {
    if (this.lastRtpTimestamp === undefined) return 0;
    return (this.lastRtpTimestamp + Math.round(((now - this.lastSentAt) * this.clockRate) / 1000)) >>> 0;
  }

  /** True once something was sent: RFC 3550 §6.4 sends SR only as an active sender. */
  get active(): boolean {
    return this.lastRtpTimestamp !== undefined;
  }

  /** An SR for `now`; `unixMs` is the wall-clock time at `now` (NTP timestamp, §6.4.1). */
  senderReport(now: number, unixMs: number, reports: readonly ReportBlock[] = []): SenderReport {
    return {
      type: 'sr',
      ssrc: this.ssrc,
      ntpTimestamp: ntpFromUnixMs(unixMs),
      rtpTimestamp: this.rtpTimestampAt(now),
      packetCount: this.packetsSent >>> 0,
      octetCount: this.octetsSent >>> 0,
      reports,
      profileExtension: new Uint8Array(0),
    };
  }

  /** A report block about our SSRC arrived at wall-clock `unixMs`; returns the RTT if computable. */
  handleReportBlock(unixMs: number, block: ReportBlock): number | undefined {
    this.reportsReceived++;
    this.fractionLost = block.fractionLost / 256;
    this.packetsLost = block.cumulativeLost;
    this.jitter = this.clockRate > 0 ? block.jitter / this.clockRate : 0;
    // RFC 3550 §6.4.1: RTT = A - LSR - DLSR in compact NTP.
    const rtt = roundTripTimeMs(ntpMiddle32(ntpFromUnixMs(unixMs)), block.lastSr, block.delaySinceLastSr);
    if (rtt !== undefined) {
      this.roundTripTimeMs = rtt;
      this.totalRoundTripTimeMs += rtt;
      this.roundTripTimeMeasurements++;
    }
    return rtt;
  }
}
