/**
 * Everything the receive side does for one media SSRC, composed: receive statistics for RR
 * (RFC 3550), NACK generation (RFC 4585), keyframe requests (PLI/FIR) on NACK give-up, incomplete
 * frames or decoder demand, and an optional jitter buffer. Feed it packets after RTX restoration
 * and dedupe (`RtxReceiver`), drive its timer, send what `pollRtcp` returns. Each part can be
 * switched off; `stats()` has getStats' inbound-rtp names.
 */
import type { RtcpPacket, RtpPacket, SenderReport } from '@rtcwire/rtp';
import { ntpMiddle32 } from '@rtcwire/rtp';
import { JitterBuffer, type JitterBufferOptions, type JitterOutput } from './jitter-buffer.js';
import { KeyframeRequester } from './keyframe-requester.js';
import { NackGenerator, type NackGeneratorOptions } from './nack-generator.js';
import { ReceiveStatistics } from './receive-statistics.js';

export interface ReceiveStreamOptions {
  /** The remote media SSRC. */
  readonly ssrc: number;
  /** Our SSRC, the sender of feedback. */
  readonly senderSsrc: number;
  readonly clockRate: number;
  /** NACK generation (when `nack` was negotiated); false or absent = off. */
  readonly nack?: boolean | Omit<NackGeneratorOptions, 'senderSsrc' | 'mediaSsrc'>;
  /** Keyframe requests: method 'pli' (default, `nack pli`) or 'fir' (`ccm fir`); false = off. */
  readonly keyframes?: false | { readonly method?: 'pli' | 'fir'; readonly minIntervalMs?: number };
  /** A jitter buffer in front of the application; absent = packets are not buffered here. */
  readonly jitterBuffer?: JitterBufferOptions;
}

export interface InboundStats {
  readonly ssrc: number;
  readonly packetsReceived: number;
  readonly bytesReceived: number;
  readonly packetsLost: number;
  /** Seconds (RFC 3550 A.8 estimate / clock rate). */
  readonly jitter: number;
  readonly nackCount: number;
  readonly pliCount: number;
  readonly firCount: number;
  readonly packetsDuplicated: number;
  readonly retransmittedPacketsReceived: number;
  readonly framesDropped: number;
}

export class ReceiveStream {
  readonly statistics: ReceiveStatistics;
  readonly nack: NackGenerator | undefined;
  readonly keyframes: KeyframeRequester | undefined;
  readonly jitterBuffer: JitterBuffer | undefined;
  private readonly output: JitterOutput[] = [];

  constructor(readonly options: ReceiveStreamOptions) {
    const { ssrc, senderSsrc } = options;
    this.statistics = new ReceiveStatistics(ssrc, options.clockRate);
    if (options.nack) {
      this.nack = new NackGenerator({
        ...(options.nack === true ? {} : options.nack),
        senderSsrc,
        mediaSsrc: ssrc,
      });
    }
    if (options.keyframes !== false) {
      this.keyframes = new KeyframeRequester({ senderSsrc, mediaSsrc: ssrc, ...(options.keyframes ?? {}) });
    }
    if (options.jitterBuffer) this.jitterBuffer = new JitterBuffer(options.jitterBuffer);
  }

  /** A media packet (already restored from RTX when `retransmitted`); `size` is its length on the wire. */
  handlePacket(now: number, packet: RtpPacket, size: number, retransmitted = false): void {
    this.statistics.handlePacket(now, packet.sequenceNumber, packet.timestamp, size, { retransmitted });
    this.nack?.handlePacket(now, packet.sequenceNumber, { retransmitted });
    if (this.jitterBuffer) {
      this.jitterBuffer.handlePacket(now, packet);
      this.drainJitterBuffer(now);
    }
  }

  /** A copy of a packet already received (the RTX receiver said `duplicate`). */
  handleDuplicate(): void {
    this.statistics.handleDuplicate();
  }

  handleSenderReport(now: number, sr: SenderReport): void {
    this.statistics.handleSenderReport(now, ntpMiddle32(sr.ntpTimestamp));
  }

  setRoundTripTime(rttMs: number): void {
    this.nack?.setRoundTripTime(rttMs);
  }

  /** The decoder needs a keyframe (error, new consumer). Rate limited. */
  requestKeyframe(now: number): void {
    this.keyframes?.request(now);
  }

  /** A keyframe was decoded: pending requests are dropped. */
  handleKeyframe(): void {
    this.keyframes?.handleKeyframe();
  }

  handleTimeout(now: number): void {
    this.nack?.handleTimeout(now);
    if (this.nack?.pollKeyframeNeeded()) this.keyframes?.request(now);
    if (this.jitterBuffer) {
      this.jitterBuffer.handleTimeout(now);
      this.drainJitterBuffer(now);
    }
    this.keyframes?.handleTimeout(now);
  }

  pollTimeout(): number | undefined {
    let at: number | undefined;
    for (const t of [this.nack?.pollTimeout(), this.jitterBuffer?.pollTimeout(), this.keyframes?.pollTimeout()]) {
      if (t !== undefined && (at === undefined || t < at)) at = t;
    }
    return at;
  }

  /** Feedback to send: NACK, PLI or FIR. */
  pollRtcp(): RtcpPacket | undefined {
    return this.nack?.pollNack() ?? this.keyframes?.pollRequest();
  }

  /** Packets or frames out of the jitter buffer, in order (only with `jitterBuffer`). */
  poll(): JitterOutput | undefined {
    return this.output.shift();
  }

  /** The report block for our next SR/RR. */
  reportBlock(now: number) {
    return this.statistics.reportBlock(now);
  }

  stats(): InboundStats {
    const s = this.statistics;
    return {
      ssrc: this.options.ssrc,
      packetsReceived: s.packetsReceived,
      bytesReceived: s.bytesReceived,
      packetsLost: s.packetsLost,
      jitter: s.jitterSeconds,
      nackCount: this.nack?.nackCount ?? 0,
      pliCount: this.keyframes?.pliCount ?? 0,
      firCount: this.keyframes?.firCount ?? 0,
      packetsDuplicated: s.packetsDuplicated,
      retransmittedPacketsReceived: s.packetsRetransmitted,
      framesDropped: this.jitterBuffer?.framesIncomplete ?? 0,
    };
  }

  private drainJitterBuffer(now: number): void {
    const jb = this.jitterBuffer as JitterBuffer;
    for (let o = jb.poll(); o; o = jb.poll()) {
      // An incomplete frame cannot be decoded: ask for a keyframe (RFC 4585 §6.3.1.1).
      if (o.type === 'frame' && !o.frame.complete) this.keyframes?.request(now);
      this.output.push(o);
    }
  }
}
