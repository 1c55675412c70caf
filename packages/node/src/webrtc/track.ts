import type { Packetizer } from '@rtcwire/codecs';
import type { NegotiatedCodec } from '@rtcwire/peer';
import type { RtpPacket } from '@rtcwire/rtp';
import { EventQueue } from '../event-queue.js';
import { createAssembler, createPacketizer, type FrameCodec, frameCodecOf } from './media-codecs.js';

/** A received RTP packet as a track delivers it. */
export interface TrackRtpPacket {
  packet: RtpPacket;
  codec: NegotiatedCodec;
  receivedAtMs: number;
}

/** A complete encoded frame depacketized from RTP (H.264 as Annex B). */
export interface EncodedFrame {
  codec: FrameCodec;
  /** RTP timestamp. */
  timestamp: number;
  data: Uint8Array;
  keyframe: boolean;
  width?: number;
  height?: number;
}

/** A frame the depacketizer could not complete (missing packets), reported instead of emitted. */
export interface IncompleteFrame {
  codec: FrameCodec;
  reason: string;
  timestamp: number | undefined;
}

/** What a sender needs from the connection to put a track's media on the wire. */
export interface TrackSink {
  sendRtp(p: {
    payload: Uint8Array;
    timestamp: number;
    marker: boolean;
    payloadType?: number;
    sequenceNumber?: number;
    codecName?: string;
  }): boolean;
  requestKeyframe(): void;
}

let nextId = 1;

/**
 * rtcwire's MediaStreamTrack: an EventTarget carrying encoded media, not raw samples.
 * - A *remote* track (from `ontrack`) delivers received RTP (`rtp` event / `packets()`) and depacketized
 *   frames (`frame` / `incomplete-frame` events, `frames()`); `requestKeyframe()` sends a PLI upstream.
 * - A *local* track (`new MediaStreamTrack({ kind })`) accepts `writeRtp()` or `writeFrame()` once a sender
 *   carries it. Any track can be attached to a sender (`addTrack`, `replaceTrack`): a remote track is then
 *   forwarded with SSRC, sequence number and timestamp rewritten, and keyframe requests passed upstream.
 */
export class MediaStreamTrack extends EventTarget {
  readonly id: string;
  readonly kind: 'audio' | 'video';
  readonly remote: boolean;
  readyState: 'live' | 'ended' = 'live';
  enabled = true;
  private sinks = new Set<TrackSink>();
  private keyframeRequester: (() => void) | undefined;
  private assembler: ReturnType<typeof createAssembler> | undefined;
  private assemblerCodec: FrameCodec | undefined;
  private readonly rtpQueues = new Set<EventQueue<TrackRtpPacket>>();
  private readonly frameQueues = new Set<EventQueue<EncodedFrame | IncompleteFrame>>();
  private packetizer: Packetizer | undefined;
  private packetizerCodec: string | undefined;
  /** Received video: a keyframe since the last loss? Without one the receiver asks for it (PLI). */
  private decodable = false;
  private lastKeyframeRequestMs = Number.NEGATIVE_INFINITY;

  constructor(init: { kind: 'audio' | 'video'; id?: string }, remote = false) {
    super();
    this.kind = init.kind;
    this.id = init.id ?? `rtcwire-${init.kind}-${nextId++}`;
    this.remote = remote;
  }

  /** Received RTP packets, as an async iterator (ends when the track ends). */
  packets(): AsyncIterableIterator<TrackRtpPacket> {
    const q = new EventQueue<TrackRtpPacket>(() => this.rtpQueues.delete(q));
    this.rtpQueues.add(q);
    if (this.readyState === 'ended') q.end();
    return q;
  }

  /** Depacketized frames and incomplete-frame reports, as an async iterator. */
  frames(): AsyncIterableIterator<EncodedFrame | IncompleteFrame> {
    const q = new EventQueue<EncodedFrame | IncompleteFrame>(() => this.frameQueues.delete(q));
    this.frameQueues.add(q);
    if (this.readyState === 'ended') q.end();
    return q;
  }

  /** Ask the origin of a remote track for a keyframe (RTCP PLI). */
  requestKeyframe(): void {
    this.keyframeRequester?.();
  }

  /** Send one RTP payload on every sender carrying this track (local tracks). */
  writeRtp(p: {
    payload: Uint8Array;
    timestamp: number;
    marker: boolean;
    payloadType?: number;
    sequenceNumber?: number;
  }): void {
    if (this.readyState === 'ended' || !this.enabled) return;
    for (const s of this.sinks) s.sendRtp(p);
  }

  /**
   * Packetize one encoded frame (`codec` as negotiated, e.g. 'VP8', 'OPUS') at an RTP timestamp and send
   * it on every sender carrying this track.
   */
  writeFrame(frame: { codec: FrameCodec; data: Uint8Array; timestamp: number }): void {
    if (this.readyState === 'ended' || !this.enabled) return;
    if (this.packetizerCodec !== frame.codec) {
      this.packetizer = createPacketizer(frame.codec);
      this.packetizerCodec = frame.codec;
    }
    const payloads = (this.packetizer as Packetizer).packetize(frame.data);
    for (const s of this.sinks) {
      for (const p of payloads)
        s.sendRtp({ payload: p.payload, marker: p.marker, timestamp: frame.timestamp, codecName: frame.codec });
    }
  }

  stop(): void {
    if (this.readyState === 'ended') return;
    this.readyState = 'ended';
    for (const q of this.rtpQueues) q.end();
    for (const q of this.frameQueues) q.end();
    this.dispatchEvent(new Event('ended'));
  }

  // ---- internal wiring (used by the connection and senders) ----

  /** @internal */
  attachSink(sink: TrackSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** @internal */
  setKeyframeRequester(fn: (() => void) | undefined): void {
    this.keyframeRequester = fn;
  }

  /** @internal A packet received for this (remote) track. */
  deliverRtp(item: TrackRtpPacket): void {
    if (this.readyState === 'ended') return;
    for (const s of this.sinks) {
      s.sendRtp({
        payload: item.packet.payload,
        timestamp: item.packet.timestamp,
        marker: item.packet.marker,
        sequenceNumber: item.packet.sequenceNumber,
        codecName: item.codec.name,
      });
    }
    for (const q of this.rtpQueues) q.push(item);
    this.dispatchEvent(new CustomEvent('rtp', { detail: item }));
    this.assemble(item);
  }

  private assemble(item: TrackRtpPacket): void {
    const codec = frameCodecOf(item.codec.name);
    if (!codec) return;
    if (codec !== this.assemblerCodec) {
      this.assembler = createAssembler(codec);
      this.assemblerCodec = codec;
    }
    const assembler = this.assembler as ReturnType<typeof createAssembler>;
    for (const e of assembler.push(item.packet)) {
      if (e.type === 'frame') {
        const f: EncodedFrame = { codec, timestamp: e.frame.timestamp, data: e.frame.data, keyframe: e.frame.keyframe };
        if (e.frame.width !== undefined) f.width = e.frame.width;
        if (e.frame.height !== undefined) f.height = e.frame.height;
        if (f.keyframe) this.decodable = true;
        else if (!this.decodable) this.askForKeyframe(item.receivedAtMs);
        for (const q of this.frameQueues) q.push(f);
        this.dispatchEvent(new CustomEvent('frame', { detail: f }));
      } else {
        const f: IncompleteFrame = { codec, reason: e.reason, timestamp: e.timestamp };
        this.decodable = false;
        this.askForKeyframe(item.receivedAtMs);
        for (const q of this.frameQueues) q.push(f);
        this.dispatchEvent(new CustomEvent('incomplete-frame', { detail: f }));
      }
    }
  }

  /**
   * A video stream that started without a keyframe, or lost a frame, cannot be decoded until the next
   * keyframe: ask the sender for one (RFC 4585 §6.3.1 PLI), at most once a second, as a decoder would.
   */
  private askForKeyframe(nowMs: number): void {
    if (this.kind !== 'video' || nowMs - this.lastKeyframeRequestMs < 1000) return;
    this.lastKeyframeRequestMs = nowMs;
    this.requestKeyframe();
  }
}
