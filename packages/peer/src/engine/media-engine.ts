import { DropCounters, isParseError, type Logger, type Millis } from '@rtcwire/common';
import {
  decodeRtcpPackets,
  decodeRtpPacket,
  encodeRtcpPackets,
  encodeRtpPacket,
  fromRtxPacket,
  nackItemsFromSequences,
  ntpFromUnixMs,
  ntpMiddle32,
  ntpToUnixMs,
  type RtcpPacket,
  type RtpHeaderExtension,
  type RtpPacket,
  sequencesFromNackItems,
} from '@rtcwire/rtp';
import { HDREXT } from '../jsep/capabilities.js';
import type { NegotiatedCodec } from '../jsep/codec-negotiation.js';
import { receives, sends } from '../jsep/direction.js';
import { NackGenerator } from './nack-generator.js';
import { ReceiveStatistics } from './receive-stats.js';
import { applyReportBlock } from './remote-report.js';
import type { Transceiver } from './transceiver.js';

/** What the media layer reports upward. */
export type MediaEvent =
  | { type: 'rtp'; mid: string; packet: RtpPacket; codec: NegotiatedCodec; receivedAtMs: Millis }
  | { type: 'sender-report'; mid: string; ssrc: number; ntpUnixMs: number; rtpTimestamp: number }
  | { type: 'keyframe-request'; mid: string; method: 'pli' | 'fir' }
  | { type: 'nack'; mid: string; sequenceNumbers: number[] };

export interface MediaEngineOptions {
  logger: Logger;
  /** Unix time (ms) for a given engine time, for RTCP NTP timestamps (RFC 3550 §6.4.1). */
  wallClockMs: (now: Millis) => number;
  /** Mean RTCP report interval (RFC 3550 §6.2; randomized 0.5–1.5×). Default 1000 ms. */
  rtcpIntervalMs?: number;
  /** Random in [0, 1) for the interval randomization. */
  jitter: () => number;
}

/**
 * RTP and RTCP for the transceivers of one BUNDLE group: routing received packets to transceivers
 * (RFC 8843 §9.2: SSRC, then MID header extension, then payload type), RTX unwrapping (RFC 4588),
 * numbering and extending sent packets, receiver statistics, and periodic SR/RR + SDES.
 */
export class MediaEngine {
  readonly drops = new DropCounters();
  private readonly events: MediaEvent[] = [];
  private readonly outgoingRtcp: Uint8Array[] = [];
  private readonly nackers = new Map<number, NackGenerator>();
  private nextReportMs: Millis | undefined;

  constructor(
    private readonly transceivers: () => readonly Transceiver[],
    private readonly options: MediaEngineOptions,
  ) {}

  pollEvent(): MediaEvent | undefined {
    return this.events.shift();
  }

  /** Plain RTCP packets to protect and send. */
  pollRtcp(): Uint8Array | undefined {
    return this.outgoingRtcp.shift();
  }

  pollTimeout(): Millis | undefined {
    return this.nextReportMs;
  }

  /** Start periodic reports once SRTP is up. */
  start(now: Millis): void {
    this.nextReportMs ??= now + this.interval() / 2;
  }

  handleTimeout(now: Millis): void {
    if (this.nextReportMs === undefined || now < this.nextReportMs) return;
    this.nextReportMs = now + this.interval();
    const report = this.buildReport(now);
    if (report) this.outgoingRtcp.push(report);
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
    const t = this.route(packet);
    if (!t?.mid) {
      this.drops.add('rtp_unroutable');
      return;
    }
    const primarySsrc = t.receiver.rtxSsrcs.get(packet.ssrc);
    if (primarySsrc !== undefined) {
      // RFC 4588 §4: RTX payload = OSN + original payload, on the codec's RTX payload type.
      const codec = t.codecs.find((c) => c.rtxPayloadType === packet.payloadType);
      if (!codec) {
        this.drops.add('rtx_unknown_payload_type');
        return;
      }
      try {
        packet = fromRtxPacket(packet, { ssrc: primarySsrc, payloadType: codec.payloadType });
      } catch (err) {
        if (!isParseError(err)) throw err;
        this.drops.add('rtx_parse_error');
        return;
      }
    }
    const codec = t.codecs.find((c) => c.payloadType === packet.payloadType);
    if (!codec) {
      this.drops.add('rtp_unknown_payload_type');
      return;
    }
    let stats = t.receiver.streams.get(packet.ssrc);
    if (!stats) {
      stats = new ReceiveStatistics(packet.ssrc, codec.clockRate);
      t.receiver.streams.set(packet.ssrc, stats);
    }
    // A retransmission (or a probe that repeats an old packet) is not a new arrival of the media stream:
    // counting it would make the reported loss negative (libwebrtc keeps RTX statistics apart too).
    if (primarySsrc === undefined) stats.handlePacket(now, packet.sequenceNumber, packet.timestamp, plain.byteLength);
    this.requestMissing(now, t, codec, packet, primarySsrc !== undefined);
    this.events.push({ type: 'rtp', mid: t.mid, packet, codec, receivedAtMs: now });
  }

  /** RFC 4585 §6.2.1 generic NACK for video gaps, when the codec negotiated `nack`. */
  private requestMissing(
    now: Millis,
    t: Transceiver,
    codec: NegotiatedCodec,
    packet: RtpPacket,
    viaRtx: boolean,
  ): void {
    if (t.kind !== 'video' || !codec.feedback.some((f) => f.type === 'nack' && !f.parameter)) return;
    let generator = this.nackers.get(packet.ssrc);
    if (!generator) {
      generator = new NackGenerator();
      this.nackers.set(packet.ssrc, generator);
    }
    const lost = generator.onPacket(now, packet.sequenceNumber, viaRtx);
    if (lost.length === 0) return;
    t.receiver.nackSent++;
    this.outgoingRtcp.push(
      encodeRtcpPackets([
        { type: 'nack', senderSsrc: t.sender.ssrc, mediaSsrc: packet.ssrc, items: nackItemsFromSequences(lost) },
      ]),
    );
  }

  private route(packet: RtpPacket): Transceiver | undefined {
    const all = this.transceivers();
    for (const t of all) {
      if (t.receiver.streams.has(packet.ssrc) || t.receiver.rtxSsrcs.has(packet.ssrc)) return t;
    }
    // RFC 8843 §9.2: learn an unknown SSRC from the MID header extension, else from a unique payload type.
    const mid = this.readMid(packet, all);
    const byMid = mid === undefined ? undefined : all.find((t) => t.mid === mid && !t.stopped);
    const candidates = byMid
      ? [byMid]
      : all.filter(
          (t) =>
            !t.stopped &&
            t.codecs.some((c) => c.payloadType === packet.payloadType || c.rtxPayloadType === packet.payloadType),
        );
    if (candidates.length !== 1) return undefined;
    const t = candidates[0] as Transceiver;
    if (!receives(t.currentDirection ?? 'inactive')) return undefined;
    const rtxOf = t.codecs.find((c) => c.rtxPayloadType === packet.payloadType);
    if (rtxOf) {
      // An RTX stream before its media stream is known: pair it with the only media SSRC, if unique.
      const media = [...t.receiver.streams.keys()];
      if (media.length !== 1) return undefined;
      t.receiver.rtxSsrcs.set(packet.ssrc, media[0] as number);
    }
    return t;
  }

  private readMid(packet: RtpPacket, all: readonly Transceiver[]): string | undefined {
    for (const t of all) {
      const id = t.extensions.find((e) => e.uri === HDREXT.mid)?.id;
      if (id === undefined) continue;
      const ext = packet.extensions.find((e) => e.id === id);
      if (ext) return UTF8_DECODER.decode(ext.data);
    }
    return undefined;
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
    for (const p of packets) this.handleRtcpPacket(now, p);
  }

  private handleRtcpPacket(now: Millis, p: RtcpPacket): void {
    if (p.type === 'sr' || p.type === 'rr') {
      const arrival = ntpMiddle32(ntpFromUnixMs(this.options.wallClockMs(now)));
      for (const block of p.reports) {
        const t = this.bySenderSsrc(block.ssrc);
        if (t) t.sender.remoteReport = applyReportBlock(t.sender.remoteReport, block, arrival, now);
      }
    }
    switch (p.type) {
      case 'sr': {
        const t = this.bySourceSsrc(p.ssrc);
        const stats = t?.receiver.streams.get(p.ssrc);
        if (!t?.mid || !stats) return;
        stats.handleSenderReport(now, ntpMiddle32(p.ntpTimestamp));
        this.events.push({
          type: 'sender-report',
          mid: t.mid,
          ssrc: p.ssrc,
          ntpUnixMs: ntpToUnixMs(p.ntpTimestamp),
          rtpTimestamp: p.rtpTimestamp,
        });
        return;
      }
      case 'pli':
      case 'fir': {
        const ssrcs = p.type === 'pli' ? [p.mediaSsrc] : p.entries.map((e) => e.ssrc);
        for (const ssrc of ssrcs) {
          const t = this.bySenderSsrc(ssrc);
          if (t?.mid) this.events.push({ type: 'keyframe-request', mid: t.mid, method: p.type });
        }
        return;
      }
      case 'nack': {
        const t = this.bySenderSsrc(p.mediaSsrc);
        if (t?.mid) this.events.push({ type: 'nack', mid: t.mid, sequenceNumbers: sequencesFromNackItems(p.items) });
        return;
      }
      default:
        return;
    }
  }

  private bySourceSsrc(ssrc: number): Transceiver | undefined {
    return this.transceivers().find((t) => t.receiver.streams.has(ssrc));
  }

  private bySenderSsrc(ssrc: number): Transceiver | undefined {
    return this.transceivers().find((t) => t.sender.ssrc === ssrc);
  }

  // ---- send ----

  /**
   * Number, extend and encode an RTP packet for transceiver `t`. `payloadType` defaults to the first
   * negotiated codec; `sequenceNumber` to the sender's own counter. Returns undefined (and counts) when
   * the transceiver may not send.
   */
  buildRtp(
    now: Millis,
    t: Transceiver,
    p: { payload: Uint8Array; timestamp: number; marker: boolean; payloadType?: number; sequenceNumber?: number },
  ): Uint8Array | undefined {
    if (!t.mid || !sends(t.currentDirection ?? 'inactive') || t.codecs.length === 0) {
      this.drops.add('send_not_negotiated');
      return undefined;
    }
    const payloadType = p.payloadType ?? (t.codecs[0] as NegotiatedCodec).payloadType;
    const sequenceNumber = p.sequenceNumber ?? t.sender.nextSequence;
    t.sender.nextSequence = (sequenceNumber + 1) & 0xffff;
    const extensions: RtpHeaderExtension[] = [];
    const midId = t.extensions.find((e) => e.uri === HDREXT.mid)?.id;
    if (midId !== undefined) extensions.push({ id: midId, data: midBytes(t.mid) });
    const absId = t.extensions.find((e) => e.uri === HDREXT.absSendTime)?.id;
    if (absId !== undefined) extensions.push({ id: absId, data: absSendTime(this.options.wallClockMs(now)) });
    const bytes = encodeRtpPacket({
      marker: p.marker,
      payloadType,
      sequenceNumber,
      timestamp: p.timestamp >>> 0,
      ssrc: t.sender.ssrc,
      csrcs: [],
      extensions,
      payload: p.payload,
      paddingLength: 0,
    });
    t.sender.packetsSent++;
    t.sender.bytesSent += p.payload.byteLength;
    t.sender.lastRtpTimestamp = p.timestamp >>> 0;
    t.sender.lastSentMs = now;
    return bytes;
  }

  /** A PLI (RFC 4585 §6.3.1) for the media the transceiver receives. */
  buildPli(t: Transceiver): Uint8Array | undefined {
    const mediaSsrc = t.receiver.streams.keys().next().value;
    if (mediaSsrc === undefined) return undefined;
    t.receiver.pliSent++;
    return encodeRtcpPackets([{ type: 'pli', senderSsrc: t.sender.ssrc, mediaSsrc }]);
  }

  /** One compound report: SR (if we send) or RR, with a block per received stream, plus SDES CNAME. */
  private buildReport(now: Millis): Uint8Array | undefined {
    const all = this.transceivers().filter((t) => t.mid !== null && !t.stopped);
    if (all.length === 0) return undefined;
    const blocks = all.flatMap((t) => [...t.receiver.streams.values()].map((s) => s.reportBlock(now))).slice(0, 31);
    const packets: RtcpPacket[] = [];
    const senders = all.filter((t) => t.sender.lastSentMs !== undefined);
    const wall = this.options.wallClockMs(now);
    for (const [i, t] of senders.entries()) {
      const codec = t.codecs[0];
      const elapsed = now - (t.sender.lastSentMs as number);
      const rtpTimestamp =
        ((t.sender.lastRtpTimestamp as number) + Math.round((elapsed * (codec?.clockRate ?? 90000)) / 1000)) >>> 0;
      packets.push({
        type: 'sr',
        ssrc: t.sender.ssrc,
        ntpTimestamp: ntpFromUnixMs(wall),
        rtpTimestamp,
        packetCount: t.sender.packetsSent >>> 0,
        octetCount: t.sender.bytesSent >>> 0,
        reports: i === 0 ? blocks : [],
        profileExtension: new Uint8Array(0),
      });
    }
    const reporter = (all[0] as Transceiver).sender;
    if (senders.length === 0) {
      if (blocks.length === 0) return undefined;
      packets.push({ type: 'rr', ssrc: reporter.ssrc, reports: blocks, profileExtension: new Uint8Array(0) });
    }
    // RFC 3550 §6.5.1: CNAME (SDES item type 1) for every SSRC we report from.
    const ssrcs = [...new Set([reporter.ssrc, ...senders.map((t) => t.sender.ssrc)])];
    packets.push({ type: 'sdes', chunks: ssrcs.map((ssrc) => ({ ssrc, items: [{ type: 1, text: reporter.cname }] })) });
    return encodeRtcpPackets(packets);
  }

  private interval(): number {
    const mean = this.options.rtcpIntervalMs ?? 1000;
    return mean * (0.5 + this.options.jitter());
  }
}

const UTF8_DECODER = new TextDecoder();
const UTF8_ENCODER = new TextEncoder();
const MID_BYTES = new Map<string, Uint8Array>();

/** The MID header extension value (RFC 8843 §15.2), encoded once per mid instead of once per packet. */
function midBytes(mid: string): Uint8Array {
  let bytes = MID_BYTES.get(mid);
  if (!bytes) {
    bytes = UTF8_ENCODER.encode(mid);
    if (MID_BYTES.size < 1024) MID_BYTES.set(mid, bytes);
  }
  return bytes;
}

/** abs-send-time: 24-bit, 6.18 fixed-point seconds (webrtc.org abs-send-time). */
function absSendTime(unixMs: number): Uint8Array {
  const v = Math.round(((unixMs / 1000) % 64) * 2 ** 18) & 0xffffff;
  return new Uint8Array([v >>> 16, (v >>> 8) & 0xff, v & 0xff]);
}
