import { createSendStream, type Transceiver } from '@rtcwire/peer';
import type { MediaStreamTrack, TrackSink } from './track.js';

/** Access the connection gives its senders: send on a transceiver, ask the remote for a keyframe. */
export interface SenderBackend {
  /** Something negotiated changed (the direction `replaceTrack` sets): update the negotiation-needed flag. */
  negotiationChanged?(): void;
  sendRtp(
    transceiverId: number,
    p: {
      payload: Uint8Array;
      timestamp: number;
      marker: boolean;
      payloadType?: number;
      sequenceNumber?: number;
      codecName?: string;
    },
  ): boolean;
}

/**
 * W3C RTCRtpSender. Carries one track; a forwarded (remote) track gets its own SSRC, and its sequence
 * numbers and timestamps are shifted by per-track offsets so gaps stay gaps and the stream is continuous
 * across `replaceTrack`.
 */
export class RTCRtpSender {
  private detach: (() => void) | undefined;
  private seqOffset: number | undefined;
  private tsOffset: number | undefined;
  private lastSeq = 0;
  private lastTs = 0;

  constructor(
    private readonly backend: SenderBackend,
    private transceiver: Transceiver,
    private currentTrack: MediaStreamTrack | null,
  ) {
    if (currentTrack) this.attach(currentTrack);
  }

  /** @internal The engine's transceiver replaces the stand-in made before the connection was ready. */
  rebind(t: Transceiver): void {
    this.transceiver = t;
  }

  get track(): MediaStreamTrack | null {
    return this.currentTrack;
  }

  getParameters(): { codecs: RTCRtpCodecParameters[] } {
    return codecParameters(this.transceiver);
  }

  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    if (track && track.kind !== this.transceiver.kind)
      throw new TypeError(`cannot send a ${track.kind} track on a ${this.transceiver.kind} sender`);
    this.detach?.();
    this.detach = undefined;
    this.currentTrack = track;
    // rtcwire convenience: a track attached to a transceiver that does not send makes it send from the
    // next description on (browsers need `transceiver.direction` set as well). This is what lets
    // `e.transceiver.sender.replaceTrack(e.track)` inside `ontrack` echo a remote offer's media.
    if (track && !this.transceiver.stopped) {
      const before = this.transceiver.direction;
      if (before === 'recvonly') this.transceiver.direction = 'sendrecv';
      else if (before === 'inactive') this.transceiver.direction = 'sendonly';
      if (this.transceiver.direction !== before) this.backend.negotiationChanged?.();
    }
    this.seqOffset = undefined;
    this.tsOffset = undefined;
    if (track) this.attach(track);
  }

  /** @internal The remote asked for a keyframe: pass it to the track's origin. */
  handleKeyframeRequest(): void {
    this.currentTrack?.requestKeyframe();
    this.currentTrack?.dispatchEvent(new Event('keyframerequest'));
  }

  private attach(track: MediaStreamTrack): void {
    const sink: TrackSink = {
      sendRtp: (p) => {
        const out = { ...p };
        if (p.sequenceNumber !== undefined) {
          // Forwarding: continue our numbering where the previous source stopped.
          this.seqOffset ??= (this.lastSeq + 1 - p.sequenceNumber) & 0xffff;
          this.tsOffset ??= (this.lastTs + 3000 - p.timestamp) >>> 0;
          out.sequenceNumber = (p.sequenceNumber + this.seqOffset) & 0xffff;
          out.timestamp = (p.timestamp + this.tsOffset) >>> 0;
          this.lastSeq = out.sequenceNumber;
          this.lastTs = out.timestamp;
        }
        // W3C webrtc-pc: stop() stops sending at once, before the stop is negotiated.
        if (this.transceiver.stopped) return false;
        return this.backend.sendRtp(this.transceiver.id, out);
      },
      requestKeyframe: () => track.requestKeyframe(),
    };
    this.detach = track.attachSink(sink);
  }
}

/** W3C RTCRtpCodecParameters. */
export interface RTCRtpCodecParameters {
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

function codecParameters(t: Transceiver): { codecs: RTCRtpCodecParameters[] } {
  return {
    codecs: t.codecs.map((c) => {
      const p: RTCRtpCodecParameters = {
        payloadType: c.payloadType,
        mimeType: `${t.kind}/${c.name}`,
        clockRate: c.clockRate,
      };
      if (c.channels !== undefined) p.channels = c.channels;
      if (c.parameters.size > 0) p.sdpFmtpLine = [...c.parameters].map(([k, v]) => `${k}=${v}`).join(';');
      return p;
    }),
  };
}

export class RTCRtpReceiver {
  constructor(
    readonly track: MediaStreamTrack,
    private transceiver: Transceiver,
  ) {}

  /** @internal See RTCRtpSender.rebind. */
  rebind(t: Transceiver): void {
    this.transceiver = t;
  }

  /** The negotiated receive codecs, in preference order (empty before negotiation). */
  getParameters(): { codecs: RTCRtpCodecParameters[] } {
    return codecParameters(this.transceiver);
  }
}

export class RTCRtpTransceiver {
  private removed: () => boolean = () => false;
  private negotiationChanged: () => void = () => {};

  constructor(
    /** @internal */ private engine: Transceiver,
    readonly sender: RTCRtpSender,
    readonly receiver: RTCRtpReceiver,
  ) {}

  /** @internal The connection says when the engine removed this transceiver (its stop was negotiated). */
  setRemovedCheck(check: () => boolean): void {
    this.removed = check;
  }

  /** @internal The connection's "update the negotiation-needed flag" (webrtc-pc §4.7.3). */
  setNegotiationHook(update: () => void): void {
    this.negotiationChanged = update;
  }

  /** @internal The engine's state for this transceiver. */
  get core(): Transceiver {
    return this.engine;
  }

  /** @internal Swap a stand-in (made before the connection was ready) for the engine's transceiver. */
  rebind(t: Transceiver): void {
    t.direction = this.engine.direction;
    t.stopped = this.engine.stopped;
    this.engine = t;
    this.sender.rebind(t);
    this.receiver.rebind(t);
  }

  get mid(): string | null {
    return this.core.mid;
  }

  /** W3C: 'stopped' from `stop()` (or a rejection of its m= line) on. */
  get direction(): Transceiver['direction'] | 'stopped' {
    return this.core.stopped ? 'stopped' : this.core.direction;
  }

  set direction(d: Transceiver['direction']) {
    if (this.core.stopped) throw new DOMException('the transceiver is stopped', 'InvalidStateError');
    // webrtc-pc §5.4 direction setter: no change, no negotiation; otherwise update the negotiation-needed flag.
    if (this.core.direction === d) return;
    this.core.direction = d;
    this.negotiationChanged();
  }

  /** W3C: 'stopped' once the stop has been negotiated (the transceiver then left getTransceivers()). */
  get currentDirection(): Transceiver['currentDirection'] | 'stopped' {
    return this.removed() ? 'stopped' : this.core.currentDirection;
  }

  get kind(): 'audio' | 'video' {
    return this.core.kind;
  }

  /** W3C "stop sending and receiving": nothing more is sent, the received track ends; negotiate to reject the line. */
  stop(): void {
    // webrtc-pc §5.4 stop(): a second call does nothing; otherwise stop, then update the negotiation-needed flag.
    if (this.core.stopped) return;
    this.core.stopped = true;
    this.core.direction = 'inactive';
    this.receiver.track.stop();
    this.negotiationChanged();
  }
}

/**
 * A transceiver's state before the connection is ready (sockets bound, certificate made), so that
 * `addTrack`/`addTransceiver` work synchronously right after construction, as in browsers. The engine's
 * own transceiver replaces it (`RTCRtpTransceiver.rebind`) once the engine exists; nothing is sent or
 * negotiated before then.
 */
export function standInTransceiver(
  id: number,
  kind: 'audio' | 'video',
  direction: Transceiver['direction'],
  streamIds: string[],
  trackId: string,
): Transceiver {
  return {
    id,
    mid: null,
    kind,
    direction,
    currentDirection: null,
    stopped: false,
    sender: {
      ssrc: 0,
      rtxSsrc: 0,
      cname: '',
      streamIds,
      trackId,
      nextSequence: 0,
      rtxSequence: 0,
      stream: createSendStream(kind, 0),
    },
    receiver: { ssrcs: new Set(), streams: new Map(), rtxSsrcs: new Map() },
    codecs: [],
    extensions: [],
    mLineIndex: null,
    trackAnnounced: false,
  };
}
