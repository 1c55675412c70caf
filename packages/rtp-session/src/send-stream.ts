/**
 * Everything the send side does for one media SSRC, composed: packet history and NACK responder
 * (RTX when negotiated), sender statistics for SR, and the remote's feedback about our stream —
 * report blocks (RTT, loss, jitter for remote-inbound-rtp), NACK, PLI and FIR (surfaced as
 * keyframe requests for the encoder/source). `stats()` has getStats' outbound-rtp names.
 */
import type { ReportBlock, RtcpPacket, RtpPacket, SenderReport } from '@rtcwire/rtp';
import { Retransmitter, type RetransmitterOptions } from './retransmitter.js';
import { SenderStatistics } from './sender-statistics.js';

export interface SendStreamOptions {
  readonly ssrc: number;
  readonly clockRate: number;
  /** Answer NACKs (when `nack` was negotiated; default true). */
  readonly nack?: boolean;
  /** History bounds and RTX stream. */
  readonly retransmission?: RetransmitterOptions;
}

export interface OutboundStats {
  readonly ssrc: number;
  readonly packetsSent: number;
  readonly bytesSent: number;
  readonly retransmittedPacketsSent: number;
  readonly retransmittedBytesSent: number;
  readonly nackCount: number;
  readonly pliCount: number;
  readonly firCount: number;
  /** remote-inbound-rtp, from the remote's report blocks. */
  readonly roundTripTime: number | undefined;
  readonly fractionLost: number;
  readonly packetsLost: number;
  readonly remoteJitter: number;
}

export class SendStream {
  readonly statistics: SenderStatistics;
  readonly retransmitter: Retransmitter;
  pliCount = 0;
  firCount = 0;
  private readonly keyframeRequests: ('pli' | 'fir')[] = [];
  private readonly lastFirSequence = new Map<number, number>();

  constructor(readonly options: SendStreamOptions) {
    this.statistics = new SenderStatistics(options.ssrc, options.clockRate);
    this.retransmitter = new Retransmitter(options.retransmission);
  }

  /** A media packet as sent (not a retransmission). */
  handlePacketSent(now: number, packet: RtpPacket): void {
    this.statistics.handlePacketSent(now, packet.timestamp, packet.payload.length);
    if (this.options.nack !== false) this.retransmitter.handlePacketSent(now, packet);
  }

  /**
   * One received RTCP packet; those not about our SSRC are ignored. `unixMs` is the wall-clock
   * time now (for RTT from LSR/DLSR). Returns true when the packet concerned this stream.
   */
  handleRtcp(now: number, unixMs: number, p: RtcpPacket): boolean {
    const ssrc = this.options.ssrc;
    switch (p.type) {
      case 'sr':
      case 'rr':
        return this.handleReportBlocks(unixMs, p.reports);
      case 'nack':
        if (p.mediaSsrc !== ssrc) return false;
        if (this.options.nack !== false) this.retransmitter.handleNack(now, p);
        return true;
      case 'pli':
        if (p.mediaSsrc !== ssrc) return false;
        this.pliCount++;
        this.keyframeRequests.push('pli');
        return true;
      case 'fir': {
        const entry = p.entries.find((e) => e.ssrc === ssrc);
        if (!entry) return false;
        // RFC 5104 §4.3.1.2: a repeated command sequence number is a retransmitted request.
        if (this.lastFirSequence.get(p.senderSsrc) === entry.sequenceNumber) return true;
        this.lastFirSequence.set(p.senderSsrc, entry.sequenceNumber);
        this.firCount++;
        this.keyframeRequests.push('fir');
        return true;
      }
      default:
        return false;
    }
  }

  private handleReportBlocks(unixMs: number, blocks: readonly ReportBlock[]): boolean {
    const block = blocks.find((b) => b.ssrc === this.options.ssrc);
    if (!block) return false;
    const rtt = this.statistics.handleReportBlock(unixMs, block);
    if (rtt !== undefined) this.retransmitter.setRoundTripTime(rtt);
    return true;
  }

  /** Packets to resend (RTX-wrapped when negotiated); send them before new media. */
  pollRetransmission(): RtpPacket | undefined {
    return this.retransmitter.pollRetransmission();
  }

  /** The remote asked for a keyframe: tell the encoder/source. */
  pollKeyframeRequest(): 'pli' | 'fir' | undefined {
    return this.keyframeRequests.shift();
  }

  senderReport(now: number, unixMs: number, reports: readonly ReportBlock[] = []): SenderReport {
    return this.statistics.senderReport(now, unixMs, reports);
  }

  stats(): OutboundStats {
    const s = this.statistics;
    const r = this.retransmitter;
    return {
      ssrc: this.options.ssrc,
      packetsSent: s.packetsSent,
      bytesSent: s.octetsSent,
      retransmittedPacketsSent: r.retransmittedPacketsSent,
      retransmittedBytesSent: r.retransmittedBytesSent,
      nackCount: r.nackCount,
      pliCount: this.pliCount,
      firCount: this.firCount,
      roundTripTime: s.roundTripTimeMs === undefined ? undefined : s.roundTripTimeMs / 1000,
      fractionLost: s.fractionLost,
      packetsLost: s.packetsLost,
      remoteJitter: s.jitter,
    };
  }
}
