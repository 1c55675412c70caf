import { DropCounters, earliest, isParseError, type Logger, type Millis } from '@rtcwire/common';
import {
  absSendTimeToMs,
  decodeRtcpPackets,
  decodeRtpPacket,
  encodeRtcpPackets,
  ntpToUnixMs,
  type RtcpPacket,
  type RtpPacket,
} from '@rtcwire/rtp';
import { ReceiveStream, RembGenerator, RtxReceiver, TwccFeedbackGenerator } from '@rtcwire/rtp-session';
import { HDREXT } from '../jsep/capabilities.js';
import type { NegotiatedCodec } from '../jsep/codec-negotiation.js';
import { bySourceSsrc, extensionData, extensionId, routeRtp } from './media-routing.js';
import { MediaSender, type OutgoingRtp } from './media-sender.js';
import { RtcpReporter } from './rtcp-report.js';
import { nackRepairWaitMs, type ResolvedRtpFeatures } from './rtp-features.js';
import type { Transceiver } from './transceiver.js';

/** What the media layer reports upward. */
export type MediaEvent =
  | { type: 'rtp'; transceiverId: number; mid: string; packet: RtpPacket; codec: NegotiatedCodec; receivedAtMs: Millis }
  | { type: 'sender-report'; transceiverId: number; mid: string; ssrc: number; ntpUnixMs: number; rtpTimestamp: number }
  | { type: 'keyframe-request'; transceiverId: number; mid: string; method: 'pli' | 'fir' };

export interface MediaEngineOptions {
  logger: Logger;
  /** Unix time (ms) for a given engine time, for RTCP NTP timestamps (RFC 3550 §6.4.1). */
  wallClockMs: (now: Millis) => number;
  /** Mean RTCP report interval (RFC 3550 §6.2; randomized 0.5–1.5×). Default 1000 ms. */
  rtcpIntervalMs?: number;
  /** Random in [0, 1) for the interval randomization. */
  jitter: () => number;
  features: ResolvedRtpFeatures;
}

/**
 * RTP and RTCP for the transceivers of one BUNDLE group: routing received packets to transceivers
 * (RFC 8843 §9.2), and the `@rtcwire/rtp-session` interceptors around them — RTX restoration and
 * dedupe (RFC 4588), per-stream statistics, NACK and keyframe requests (RFC 4585, RFC 5104),
 * transport-cc feedback or REMB, the NACK responder, TWCC bandwidth estimation, SR/RR + SDES + XR.
 */
export class MediaEngine {
  readonly drops = new DropCounters();
  private readonly events: MediaEvent[] = [];
  private readonly outgoingRtcp: Uint8Array[] = [];
  private readonly sender: MediaSender;
  private readonly reporter = new RtcpReporter();
  private readonly rtxReceivers = new WeakMap<Transceiver, { codecs: NegotiatedCodec[]; rtx: RtxReceiver }>();
  private twcc: TwccFeedbackGenerator | undefined;
  private remb: RembGenerator | undefined;
  private rttMs: number | undefined;
  private nextReportMs: Millis | undefined;

  constructor(
    private readonly transceivers: () => readonly Transceiver[],
    private readonly options: MediaEngineOptions,
  ) {
    this.sender = new MediaSender({ wallClockMs: options.wallClockMs, pacer: options.features.pacer });
  }

  /** getStats `availableOutgoingBitrate` (bit/s) on the selected candidate pair, once known. */
  get availableOutgoingBitrate(): number | undefined {
    return this.sender.availableOutgoingBitrate;
  }

  /** The latest round-trip time (ms) from RTCP (SR/RR LSR/DLSR or XR DLRR). */
  get roundTripTimeMs(): number | undefined {
    return this.rttMs;
  }

  pollEvent(): MediaEvent | undefined {
    return this.events.shift();
  }

  /** Plain RTCP packets to protect and send. */
  pollRtcp(): Uint8Array | undefined {
    return this.outgoingRtcp.shift();
  }

  /** Plain RTP packets to protect and send (media, and retransmissions ahead of it). */
  pollRtp(): Uint8Array | undefined {
    return this.sender.poll();
  }

  pollTimeout(): Millis | undefined {
    let at = earliest(this.nextReportMs, this.twcc?.pollTimeout(), this.remb?.pollTimeout(), this.sender.pollTimeout());
    for (const t of this.transceivers())
      for (const s of t.receiver.streams.values()) at = earliest(at, s.pollTimeout());
    return at;
  }

  /** Start periodic reports once SRTP is up. */
  start(now: Millis): void {
    this.nextReportMs ??= now + this.interval() / 2;
  }

  handleTimeout(now: Millis): void {
    if (this.nextReportMs !== undefined && now >= this.nextReportMs) {
      this.nextReportMs = now + this.interval();
      const report = this.reporter.build(now, this.options.wallClockMs(now), this.transceivers());
      if (report) this.outgoingRtcp.push(encodeRtcpPackets(report));
    }
    for (const t of this.transceivers()) {
      for (const s of t.receiver.streams.values()) {
        s.handleTimeout(now);
        this.drainStream(t, s, now);
      }
    }
    this.twcc?.handleTimeout(now);
    for (let f = this.twcc?.pollFeedback(); f; f = this.twcc?.pollFeedback())
      this.outgoingRtcp.push(encodeRtcpPackets([f]));
    this.remb?.handleTimeout(now);
    for (let r = this.remb?.pollRemb(); r; r = this.remb?.pollRemb()) this.outgoingRtcp.push(encodeRtcpPackets([r]));
    this.sender.handleTimeout(now);
  }

  // ---- receive ----

  handleRtp(now: Millis, plain: Uint8Array): void {
    let packet: RtpPacket;
    try {
      packet = decodeRtpPacket(plain);
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add('rtp_parse_error');
      return;
    }
    const t = routeRtp(packet, this.transceivers());
    if (!t?.mid) {
      this.drops.add('rtp_unroutable');
      return;
    }
    // Congestion-control feedback covers every packet that arrived, retransmissions and padding included.
    this.recordArrival(now, t, packet, plain.byteLength);
    const rtx = this.rtxFor(t);
    if (rtx.isRtxPayloadType(packet.payloadType)) {
      const media = t.receiver.rtxSsrcs.get(packet.ssrc);
      if (media !== undefined) rtx.addStream(packet.ssrc, media);
    }
    const result = rtx.handle(packet, this.streamIds(t, packet));
    if (result.kind === 'dropped') return; // counted by the RTX receiver (padding probes, unknown RTX SSRC)
    const codec = t.codecs.find((c) => c.payloadType === result.packet.payloadType);
    if (!codec) {
      this.drops.add('rtp_unknown_payload_type');
      return;
    }
    const stream = this.streamFor(t, result.packet.ssrc, codec);
    if (result.kind === 'duplicate') {
      stream.handleDuplicate();
      return;
    }
    stream.handlePacket(now, result.packet, plain.byteLength, result.retransmitted);
    if (!stream.jitterBuffer)
      this.events.push({
        type: 'rtp',
        transceiverId: t.id,
        mid: t.mid,
        packet: result.packet,
        codec,
        receivedAtMs: now,
      });
    this.drainStream(t, stream, now);
  }

  handleRtcp(now: Millis, plain: Uint8Array): void {
    let packets: RtcpPacket[];
    try {
      packets = decodeRtcpPackets(plain);
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add('rtcp_parse_error');
      return;
    }
    const wall = this.options.wallClockMs(now);
    for (const p of packets) this.handleRtcpPacket(now, wall, p);
  }

  private handleRtcpPacket(now: Millis, wall: number, p: RtcpPacket): void {
    const all = this.transceivers();
    // Our sent streams: report blocks (RTT, loss), NACK → retransmission, PLI/FIR → keyframe request.
    for (const t of all) {
      const stream = t.sender.stream;
      if (!stream.handleRtcp(now, wall, p)) continue;
      this.sender.retransmit(now, t);
      for (let k = stream.pollKeyframeRequest(); k; k = stream.pollKeyframeRequest())
        if (t.mid) this.events.push({ type: 'keyframe-request', transceiverId: t.id, mid: t.mid, method: k });
      const rtt = stream.statistics.roundTripTimeMs;
      if ((p.type === 'sr' || p.type === 'rr') && rtt !== undefined) this.setRoundTripTime(rtt);
    }
    switch (p.type) {
      case 'sr': {
        const t = bySourceSsrc(all, p.ssrc);
        const stream = t?.receiver.streams.get(p.ssrc);
        if (!t?.mid || !stream) return;
        stream.handleSenderReport(now, p);
        this.events.push({
          type: 'sender-report',
          transceiverId: t.id,
          mid: t.mid,
          ssrc: p.ssrc,
          ntpUnixMs: ntpToUnixMs(p.ntpTimestamp),
          rtpTimestamp: p.rtpTimestamp,
        });
        return;
      }
      case 'twcc':
        this.sender.handleTwccFeedback(now, p);
        return;
      case 'remb':
        this.sender.handleRemb(p.bitrate);
        return;
      case 'xr': {
        const rtt = this.reporter.handleExtendedReport(now, wall, p);
        if (rtt !== undefined) this.setRoundTripTime(rtt);
        return;
      }
      default:
        return;
    }
  }

  /** A decoder needs a keyframe: PLI or FIR (as negotiated, rate limited) for each received video stream. */
  requestKeyframe(now: Millis, t: Transceiver): boolean {
    let requested = false;
    for (const s of t.receiver.streams.values()) {
      if (!s.keyframes) continue;
      s.requestKeyframe(now);
      this.drainStream(t, s, now);
      requested = true;
    }
    return requested;
  }

  // ---- send ----

  /** Number, extend and queue an RTP packet; false (counted) when the transceiver may not send. */
  send(now: Millis, t: Transceiver, p: OutgoingRtp): boolean {
    return this.sender.send(now, t, p);
  }

  get sendDrops(): DropCounters {
    return this.sender.drops;
  }

  // ---- internals ----

  private streamFor(t: Transceiver, ssrc: number, codec: NegotiatedCodec): ReceiveStream {
    let stream = t.receiver.streams.get(ssrc);
    if (stream) return stream;
    const has = (type: string, parameter?: string): boolean =>
      codec.feedback.some((f) => f.type === type && f.parameter === parameter);
    const video = t.kind === 'video';
    const { nack, jitterBufferMs } = this.options.features;
    const nacked = nack && has('nack');
    const latencyMs = jitterBufferMs ?? (video && nacked ? nackRepairWaitMs(this.rttMs) : 0);
    stream = new ReceiveStream({
      ssrc,
      senderSsrc: t.sender.ssrc,
      clockRate: codec.clockRate,
      nack: nacked,
      // RFC 4585 §6.3.1 PLI when `nack pli` was negotiated, else RFC 5104 FIR with `ccm fir`.
      keyframes: !video
        ? false
        : has('nack', 'pli')
          ? { method: 'pli' }
          : has('ccm', 'fir')
            ? { method: 'fir' }
            : false,
      // A real-time receiver starts with the first packet it gets: no startup hold.
      ...(latencyMs > 0 ? { jitterBuffer: { latencyMs, startupHoldMs: 0 } } : {}),
    });
    if (this.rttMs !== undefined) stream.setRoundTripTime(this.rttMs);
    t.receiver.streams.set(ssrc, stream);
    t.receiver.ssrcs.add(ssrc);
    return stream;
  }

  /** Feedback the stream produced (NACK, PLI, FIR) and, with a jitter buffer, the packets it released. */
  private drainStream(t: Transceiver, s: ReceiveStream, now: Millis): void {
    for (let p = s.pollRtcp(); p; p = s.pollRtcp()) this.outgoingRtcp.push(encodeRtcpPackets([p]));
    if (!s.jitterBuffer || !t.mid) return;
    for (let o = s.poll(); o; o = s.poll()) {
      if (o.type !== 'packet') continue;
      const codec = t.codecs.find((c) => c.payloadType === o.packet.payloadType);
      if (codec)
        this.events.push({ type: 'rtp', transceiverId: t.id, mid: t.mid, packet: o.packet, codec, receivedAtMs: now });
    }
  }

  /** RFC 4588 §8.6: RTX payload type → original payload type, rebuilt when a renegotiation changes the codecs. */
  private rtxFor(t: Transceiver): RtxReceiver {
    const cached = this.rtxReceivers.get(t);
    if (cached && cached.codecs === t.codecs) return cached.rtx;
    const payloadTypes = new Map<number, number>();
    for (const c of t.codecs) if (c.rtxPayloadType !== undefined) payloadTypes.set(c.rtxPayloadType, c.payloadType);
    const rtx = new RtxReceiver({ payloadTypes, ssrcs: t.receiver.rtxSsrcs });
    this.rtxReceivers.set(t, { codecs: t.codecs, rtx });
    return rtx;
  }

  /** Transport-cc feedback (every packet with the extension) or, without TWCC, the receive-side REMB estimate. */
  private recordArrival(now: Millis, t: Transceiver, packet: RtpPacket, size: number): void {
    const twcc = extensionData(packet, extensionId(t, HDREXT.transportCc));
    if (twcc && twcc.length >= 2) {
      this.twcc ??= new TwccFeedbackGenerator({ senderSsrc: t.sender.ssrc });
      this.twcc.handlePacket(now, ((twcc[0] as number) << 8) | (twcc[1] as number), packet.ssrc);
      return;
    }
    if (!this.options.features.remb || !t.codecs.some((c) => c.feedback.some((f) => f.type === 'goog-remb'))) return;
    const abs = extensionData(packet, extensionId(t, HDREXT.absSendTime));
    if (!abs || abs.length < 3) return;
    this.remb ??= new RembGenerator({ senderSsrc: t.sender.ssrc });
    const value = ((abs[0] as number) << 16) | ((abs[1] as number) << 8) | (abs[2] as number);
    this.remb.handlePacket(now, absSendTimeToMs(value), size, packet.ssrc);
  }

  /** RFC 8852 rid / repaired-rid, so RTX of a simulcast layer without signalled SSRCs finds its media stream. */
  private streamIds(t: Transceiver, packet: RtpPacket): { rid?: string; repairedRid?: string } {
    const rid = extensionData(packet, extensionId(t, HDREXT.rid));
    const repaired = extensionData(packet, extensionId(t, HDREXT.repairedRid));
    if (!rid && !repaired) return NO_IDS;
    return {
      ...(rid ? { rid: UTF8_DECODER.decode(rid) } : {}),
      ...(repaired ? { repairedRid: UTF8_DECODER.decode(repaired) } : {}),
    };
  }

  private setRoundTripTime(rttMs: number): void {
    this.rttMs = rttMs;
    const adaptive = this.options.features.jitterBufferMs === undefined;
    for (const t of this.transceivers()) {
      for (const s of t.receiver.streams.values()) {
        s.setRoundTripTime(rttMs);
        if (adaptive) s.jitterBuffer?.setLatency(nackRepairWaitMs(rttMs));
      }
    }
  }

  private interval(): number {
    const mean = this.options.rtcpIntervalMs ?? 1000;
    return mean * (0.5 + this.options.jitter());
  }
}

const UTF8_DECODER = new TextDecoder();
const NO_IDS = {};
