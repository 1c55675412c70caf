import { DropCounters, type Millis } from '@rtcwire/common';
import { encodeRtpPacket, type RtpHeaderExtension, type RtpPacket, type TransportCcFeedback } from '@rtcwire/rtp';
import { Pacer, SendSideBandwidthEstimator } from '@rtcwire/rtp-session';
import { HDREXT } from '../jsep/capabilities.js';
import type { NegotiatedCodec } from '../jsep/codec-negotiation.js';
import { sends } from '../jsep/direction.js';
import { extensionId } from './media-routing.js';
import type { Transceiver } from './transceiver.js';

/** What the application hands over for one RTP packet. */
export interface OutgoingRtp {
  payload: Uint8Array;
  timestamp: number;
  marker: boolean;
  payloadType?: number;
  sequenceNumber?: number;
}

export interface MediaSenderOptions {
  /** Unix ms for an engine time (abs-send-time). */
  wallClockMs: (now: Millis) => number;
  /** Route media through a pacer at 2.5 × the bandwidth estimate. */
  pacer: boolean;
}

/** Pacing rate before any estimate exists: high enough not to throttle a browser-like sender. */
const UNPACED_BITRATE = 10_000_000;

/**
 * The send path of one BUNDLE transport: numbering and extending packets (MID, abs-send-time,
 * transport-wide sequence numbers), each transceiver's packet history and NACK responder
 * (`SendStream`, RTX per RFC 4588 when negotiated), the TWCC-fed send-side bandwidth estimate
 * (draft-ietf-rmcat-gcc-02) or the remote's REMB, and an optional pacer. Encoded packets wait in
 * a queue until the engine protects and sends them.
 */
export class MediaSender {
  readonly drops = new DropCounters();
  readonly bwe = new SendSideBandwidthEstimator();
  /** The latest REMB bitrate from the remote (bit/s), when it sends REMB. */
  remoteEstimate: number | undefined;
  private twccFeedbackSeen = false;
  private readonly pacer: Pacer<Encoded> | undefined;
  private readonly outgoing: Uint8Array[] = [];
  /** The codec list each sender's RTX stream was configured from (renegotiation replaces the array). */
  private readonly rtxConfiguredFor = new WeakMap<Transceiver, NegotiatedCodec[]>();

  constructor(private readonly options: MediaSenderOptions) {
    if (options.pacer) this.pacer = new Pacer({ bitrate: UNPACED_BITRATE / 2.5 });
  }

  /** getStats `availableOutgoingBitrate`: the TWCC estimate once feedback arrived, else REMB's. */
  get availableOutgoingBitrate(): number | undefined {
    return this.twccFeedbackSeen ? this.bwe.availableOutgoingBitrate : this.remoteEstimate;
  }

  /**
   * Number, extend and queue an RTP packet for transceiver `t`. `payloadType` defaults to the first
   * negotiated codec; `sequenceNumber` to the sender's own counter. False (and counted) when the
   * transceiver may not send.
   */
  send(now: Millis, t: Transceiver, p: OutgoingRtp): boolean {
    if (!t.mid || !sends(t.currentDirection ?? 'inactive') || t.codecs.length === 0) {
      this.drops.add('send_not_negotiated');
      return false;
    }
    this.configureRtx(t);
    const payloadType = p.payloadType ?? (t.codecs[0] as NegotiatedCodec).payloadType;
    const sequenceNumber = p.sequenceNumber ?? t.sender.nextSequence;
    t.sender.nextSequence = (sequenceNumber + 1) & 0xffff;
    const packet: RtpPacket = {
      marker: p.marker,
      payloadType,
      sequenceNumber,
      timestamp: p.timestamp >>> 0,
      ssrc: t.sender.ssrc,
      csrcs: [],
      extensions: [],
      payload: p.payload,
      paddingLength: 0,
    };
    t.sender.stream.handlePacketSent(now, packet);
    this.enqueue(now, t, packet, t.kind === 'audio' ? 'high' : 'normal');
    return true;
  }

  /** Queue what the transceiver's NACK responder wants resent (RTX-wrapped when negotiated), ahead of media. */
  retransmit(now: Millis, t: Transceiver): void {
    for (let p = t.sender.stream.pollRetransmission(); p; p = t.sender.stream.pollRetransmission())
      this.enqueue(now, t, p, 'high');
  }

  /** Transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) for our packets. */
  handleTwccFeedback(now: Millis, feedback: TransportCcFeedback): void {
    this.twccFeedbackSeen = true;
    this.bwe.handleFeedback(now, feedback);
    this.pacer?.setBitrate(this.bwe.availableOutgoingBitrate);
  }

  handleRemb(bitrate: number): void {
    this.remoteEstimate = bitrate;
    if (!this.twccFeedbackSeen) this.pacer?.setBitrate(bitrate);
  }

  handleTimeout(now: Millis): void {
    this.drainPacer(now);
  }

  pollTimeout(): Millis | undefined {
    return this.pacer?.pollTimeout();
  }

  /** The next plain RTP packet to protect and send. */
  poll(): Uint8Array | undefined {
    return this.outgoing.shift();
  }

  /** Header extensions are written per transmission: a retransmission gets its own transport-wide number. */
  private enqueue(now: Millis, t: Transceiver, packet: RtpPacket, priority: 'high' | 'normal'): void {
    const extensions: RtpHeaderExtension[] = [];
    const midId = extensionId(t, HDREXT.mid);
    if (midId !== undefined && t.mid) extensions.push({ id: midId, data: midBytes(t.mid) });
    const absId = extensionId(t, HDREXT.absSendTime);
    if (absId !== undefined) extensions.push({ id: absId, data: absSendTime(this.options.wallClockMs(now)) });
    const twccId = extensionId(t, HDREXT.transportCc);
    const transportSequence = twccId === undefined ? undefined : this.bwe.allocateSequence();
    if (twccId !== undefined && transportSequence !== undefined)
      extensions.push({ id: twccId, data: Uint8Array.of(transportSequence >>> 8, transportSequence & 0xff) });
    const encoded: Encoded = { bytes: encodeRtpPacket({ ...packet, extensions }), transportSequence };
    if (!this.pacer) {
      this.leave(now, encoded);
      return;
    }
    this.pacer.enqueue(now, encoded, encoded.bytes.byteLength, priority);
    this.drainPacer(now);
  }

  private drainPacer(now: Millis): void {
    if (!this.pacer) return;
    for (let e = this.pacer.poll(now); e; e = this.pacer.poll(now)) this.leave(now, e);
  }

  /** The estimator needs every packet that carries a transport-wide number, at the time it leaves. */
  private leave(now: Millis, e: Encoded): void {
    if (e.transportSequence !== undefined) this.bwe.handlePacketSent(now, e.transportSequence, e.bytes.byteLength);
    this.outgoing.push(e.bytes);
  }

  /** RFC 4588 §8.6: the RTX payload type of each codec (`apt`), and the RTX SSRC we signalled (FID). */
  private configureRtx(t: Transceiver): void {
    if (this.rtxConfiguredFor.get(t) === t.codecs) return;
    this.rtxConfiguredFor.set(t, t.codecs);
    const payloadTypes = new Map<number, number>();
    for (const c of t.codecs) if (c.rtxPayloadType !== undefined) payloadTypes.set(c.payloadType, c.rtxPayloadType);
    t.sender.stream.retransmitter.setRtx(
      payloadTypes.size === 0
        ? undefined
        : { ssrc: t.sender.rtxSsrc, payloadTypes, initialSequenceNumber: t.sender.rtxSequence },
    );
  }
}

interface Encoded {
  readonly bytes: Uint8Array;
  readonly transportSequence: number | undefined;
}

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
