import {
  createLogger,
  InvalidArgumentError,
  InvalidStateError,
  type Logger,
  type SocketAddress,
  secureRandom,
} from '@rtcwire/common';
import { type DtlsCredential, generateCertificate } from '@rtcwire/dtls';
import {
  type CodecCapability,
  isNegotiationNeeded,
  PeerConnectionCore,
  type PeerConnectionState,
  type PeerEvent,
  type RtpFeatures,
  type SignalingState,
  type Transceiver,
} from '@rtcwire/peer';
import { parseSdp } from '@rtcwire/sdp';
import { monotonicClock } from '../clock.js';
import { Driver } from '../driver.js';
import { type InterfaceFilter, listLocalAddresses } from '../interfaces.js';
import { MdnsResolver } from '../mdns-resolver.js';
import { UdpTransport } from '../udp-transport.js';
import { type RTCIceServer, resolveIceServers } from './config.js';
import { NegotiationNeededFlag } from './negotiation-needed.js';
import { RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver, standInTransceiver } from './rtp-objects.js';
import { buildStatsReport } from './stats.js';
import { MediaStreamTrack } from './track.js';

export interface RTCSessionDescriptionInit {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface RTCIceCandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  /** 'relay' keeps only relayed candidates. */
  iceTransportPolicy?: 'all' | 'relay';
  certificates?: DtlsCredential[];
  /** rtcwire extensions (no W3C equivalent). */
  rtcwire?: {
    /** Bind exactly these local addresses (default: every IPv4 interface incl. loopback). */
    addresses?: string[];
    interfaces?: InterfaceFilter;
    portRange?: { min: number; max: number };
    /** UDP receive buffer per socket in bytes (default 2 MiB; the OS may cap it, e.g. net.core.rmem_max). */
    recvBufferSize?: number;
    /** DTLS role when answering an actpass offer (default passive: we are DTLS server). */
    answerSetup?: 'passive' | 'active';
    /** Resolve remote `.local` candidates with multicast DNS (default true). */
    mdns?: boolean;
    /** Codecs we accept and offer, in preference order (default: @rtcwire/peer's DEFAULT_*_CODECS). */
    codecs?: { audio?: readonly CodecCapability[]; video?: readonly CodecCapability[] };
    /**
     * Media-quality mechanisms (defaults: nack and twcc on, remb, pacer and jitter buffer off). Off means
     * not negotiated, so e.g. `{ twcc: false }` leaves the remote sender without bandwidth feedback.
     */
    rtp?: RtpFeatures;
  };
}

export class RTCSessionDescription implements RTCSessionDescriptionInit {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
  constructor(init: RTCSessionDescriptionInit) {
    this.type = init.type;
    this.sdp = init.sdp;
  }
  toJSON(): RTCSessionDescriptionInit {
    return { type: this.type, sdp: this.sdp };
  }
}

export class RTCIceCandidate implements RTCIceCandidateInit {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  constructor(init: RTCIceCandidateInit) {
    this.candidate = init.candidate;
    this.sdpMid = init.sdpMid ?? null;
    this.sdpMLineIndex = init.sdpMLineIndex ?? null;
  }
  toJSON(): RTCIceCandidateInit {
    return { candidate: this.candidate, sdpMid: this.sdpMid, sdpMLineIndex: this.sdpMLineIndex };
  }
}

/** W3C-style event carrying a track (the `track` event). */
export class RTCTrackEvent extends Event {
  constructor(
    readonly track: MediaStreamTrack,
    readonly receiver: RTCRtpReceiver,
    readonly transceiver: RTCRtpTransceiver,
  ) {
    super('track');
  }
  get streams(): never[] {
    return [];
  }
}

export class RTCPeerConnectionIceEvent extends Event {
  constructor(readonly candidate: RTCIceCandidate | null) {
    super('icecandidate');
  }
}

/** Map rtcwire's typed errors to the DOMException names browsers throw. */
function domError(err: unknown): unknown {
  if (err instanceof InvalidStateError) return new DOMException(err.message, 'InvalidStateError');
  if (err instanceof InvalidArgumentError) return new DOMException(err.message, 'OperationError');
  return err;
}

/**
 * An RTCPeerConnection for Node.js on rtcwire's sans-IO engine: UDP sockets, one timer and the real
 * clock come from the node layer's Driver. Offer/answer, trickle ICE, BUNDLE, DTLS-SRTP, tracks that
 * carry encoded media. See the `rtcwire` package README.
 */
export class RTCPeerConnection extends EventTarget {
  private readonly log: Logger = createLogger('pc');
  private readonly ready: Promise<void>;
  private driver: Driver<PeerEvent> | undefined;
  private core: PeerConnectionCore | undefined;
  private readonly wrappers = new Map<number, RTCRtpTransceiver>();
  private readonly early: RTCRtpTransceiver[] = [];
  private mdns: MdnsResolver | undefined;
  private pendingLocal: RTCSessionDescription | null = null;
  private lastOffer: string | undefined;
  private lastAnswer: string | undefined;
  private closedFlag = false;
  /** W3C [[LocalIceCredentialsToReplace]] is not empty: restartIce() ran, no local description carries it yet. */
  private iceRestartPending = false;
  private readonly negotiation: NegotiationNeededFlag;
  onicecandidate: ((e: RTCPeerConnectionIceEvent) => void) | null = null;
  ontrack: ((e: RTCTrackEvent) => void) | null = null;
  onconnectionstatechange: ((e: Event) => void) | null = null;
  oniceconnectionstatechange: ((e: Event) => void) | null = null;
  onicegatheringstatechange: ((e: Event) => void) | null = null;
  onsignalingstatechange: ((e: Event) => void) | null = null;
  onnegotiationneeded: ((e: Event) => void) | null = null;

  constructor(private readonly config: RTCConfiguration = {}) {
    super();
    this.ready = this.init();
    this.ready.catch(() => {});
    this.negotiation = new NegotiationNeededFlag({
      ready: this.ready,
      isClosed: () => this.closedFlag,
      signalingState: () => this.signalingState,
      isNeeded: () => this.negotiationNeeded(),
      fire: () => this.fire('negotiationneeded', this.onnegotiationneeded),
    });
  }

  private async init(): Promise<void> {
    const rc = this.config.rtcwire ?? {};
    const addresses =
      rc.addresses ??
      listLocalAddresses({ family: 'IPv4', includeLoopback: true, ...rc.interfaces }).map((a) => a.address);
    if (addresses.length === 0) throw new DOMException('no usable local address', 'OperationError');
    const sockets = await Promise.all(
      addresses.map((address) =>
        UdpTransport.bind({
          address,
          // Room for ~1,700 full-size packets: a busy event loop delays reading, it should not drop media.
          recvBufferSize: rc.recvBufferSize ?? 2 * 1024 * 1024,
          ...(rc.portRange ? { portRange: rc.portRange } : {}),
        }),
      ),
    );
    const ice = await resolveIceServers(this.config.iceServers ?? []);
    for (const s of ice.skipped) this.log.warn('ice server skipped', s);
    const certificate = this.config.certificates?.[0] ?? (await generateCertificate({ now: new Date() }));
    const wallOffset = Date.now() - monotonicClock.now();
    const localAddresses: SocketAddress[] = sockets.map((s) => s.local);
    this.core = new PeerConnectionCore({
      random: secureRandom,
      certificate,
      localAddresses,
      stunServers: ice.stun,
      turnServers: ice.turn,
      relayOnly: this.config.iceTransportPolicy === 'relay',
      ...(rc.answerSetup ? { answerSetup: rc.answerSetup } : {}),
      ...(rc.codecs ? { codecs: rc.codecs } : {}),
      ...(rc.rtp ? { rtp: rc.rtp } : {}),
      wallClockMs: (now) => now + wallOffset,
      logger: this.log,
    });
    // Transceivers added before we were ready: the engine's own replace the stand-ins, same ids and order.
    for (const w of this.early.splice(0)) {
      const s = w.core.sender;
      w.rebind(
        this.core.addTransceiver(w.kind, { direction: w.core.direction, streamIds: s.streamIds, trackId: s.trackId }),
      );
    }
    this.driver = new Driver<PeerEvent>(this.core, sockets, { logger: this.log });
    this.driver.onEvent((e) => this.handleEvent(e));
    this.driver.onError((err) => this.log.warn('driver error', { error: String(err) }));
    if (this.closedFlag) {
      // close() ran while we were starting: release the sockets we just bound.
      this.driver.act((c) => (c as PeerConnectionCore).close());
      await this.driver.close();
    }
  }

  // ---- state ----

  get signalingState(): SignalingState {
    return this.core?.signalingState ?? 'stable';
  }
  get connectionState(): PeerConnectionState {
    return this.closedFlag ? 'closed' : (this.core?.connectionState ?? 'new');
  }
  get iceConnectionState(): string {
    return this.closedFlag ? 'closed' : (this.core?.iceConnectionState ?? 'new');
  }
  get iceGatheringState(): string {
    return this.core?.iceAgent?.gatheringState ?? 'new';
  }
  /** The local description with every candidate gathered so far (what non-trickle signalling sends). */
  get localDescription(): RTCSessionDescription | null {
    const sdp = this.core?.currentLocalDescription;
    return this.pendingLocal && sdp
      ? new RTCSessionDescription({ type: this.pendingLocal.type, sdp })
      : this.pendingLocal;
  }
  get remoteDescription(): RTCSessionDescription | null {
    const sdp = this.core?.currentRemoteDescription;
    return sdp
      ? new RTCSessionDescription({ type: this.pendingLocal?.type === 'offer' ? 'answer' : 'offer', sdp })
      : null;
  }

  /** Resolves when ICE gathering completes (not W3C; handy for non-trickle signalling such as WHIP). */
  async waitForGatheringComplete(timeoutMs = 5000): Promise<void> {
    await this.ready;
    if (this.iceGatheringState === 'complete') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.removeEventListener('icegatheringstatechange', check);
        resolve();
      }
      function check(): void {
        if (self.iceGatheringState === 'complete') done();
      }
      this.addEventListener('icegatheringstatechange', check);
    });
  }

  /** Resolves once sockets are bound and the certificate exists (methods wait for it themselves). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  // ---- JSEP ----

  async createOffer(): Promise<RTCSessionDescriptionInit> {
    const sdp = await this.call((c) => c.createOffer());
    this.lastOffer = sdp;
    return { type: 'offer', sdp };
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    const sdp = await this.call((c) => c.createAnswer());
    this.lastAnswer = sdp;
    return { type: 'answer', sdp };
  }

  /** With no argument, creates the offer or answer the signaling state calls for (implicit SLD). */
  async setLocalDescription(desc?: Partial<RTCSessionDescriptionInit>): Promise<void> {
    await this.ready;
    const type = desc?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
    const sdp =
      desc?.sdp ||
      (type === 'offer'
        ? (this.lastOffer ?? (await this.createOffer()).sdp)
        : (this.lastAnswer ?? (await this.createAnswer()).sdp));
    await this.call((c, now) => c.setLocalDescription(now, type, sdp));
    this.pendingLocal = new RTCSessionDescription({ type, sdp });
    // It carries the restarted ICE credentials (the engine describes with the agent's current ones).
    this.iceRestartPending = false;
    this.lastOffer = undefined;
    this.lastAnswer = undefined;
  }

  async setRemoteDescription(desc: RTCSessionDescriptionInit): Promise<void> {
    await this.call((c, now) => c.setRemoteDescription(now, desc.type, desc.sdp));
    this.wrapAll();
  }

  async addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    const text = candidate?.candidate ?? null;
    await this.call((c, now) => c.addIceCandidate(now, text === '' ? null : text, candidate?.sdpMid));
  }

  // ---- media ----

  addTransceiver(
    trackOrKind: MediaStreamTrack | 'audio' | 'video',
    init: { direction?: Transceiver['direction']; streams?: { id: string }[] } = {},
  ): RTCRtpTransceiver {
    if (this.closedFlag) throw new DOMException('the peer connection is closed', 'InvalidStateError');
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const direction = init.direction ?? 'sendrecv';
    const streamIds = (init.streams ?? []).map((s) => s.id);
    if (!this.core) {
      // Still binding sockets / making the certificate: a stand-in until init() hands it to the engine.
      const id = this.wrappers.size;
      const w = this.wrap(standInTransceiver(id, kind, direction, streamIds, track?.id ?? `${kind}-${id}`), track);
      this.early.push(w);
      this.negotiation.update();
      return w;
    }
    const t = this.core.addTransceiver(kind, { direction, streamIds, ...(track ? { trackId: track.id } : {}) });
    const w = this.wrap(t, track);
    // webrtc-pc §5.1 addTransceiver / addTrack: update the negotiation-needed flag.
    this.negotiation.update();
    return w;
  }

  addTrack(track: MediaStreamTrack, ...streams: { id: string }[]): RTCRtpSender {
    if (this.closedFlag) throw new DOMException('the peer connection is closed', 'InvalidStateError');
    // webrtc-pc §5.1 addTrack: reuse a transceiver of the same kind whose sender has no track and has never
    // sent — typically one a remote offer created — so an answerer's addTrack goes out on the offered m= line
    // (recvonly → sendrecv, inactive → sendonly) instead of a new line the answer could not carry.
    const reusable = this.getTransceivers().find(
      (t) =>
        t.core.kind === track.kind &&
        !t.core.stopped &&
        t.sender.track === null &&
        t.core.currentDirection !== 'sendrecv' &&
        t.core.currentDirection !== 'sendonly' &&
        !t.core.sender.stream.statistics.active,
    );
    if (!reusable) return this.addTransceiver(track, { direction: 'sendrecv', streams }).sender;
    reusable.core.sender.streamIds = streams.map((s) => s.id);
    reusable.core.sender.trackId = track.id;
    void reusable.sender.replaceTrack(track); // sets the direction and updates the negotiation-needed flag
    return reusable.sender;
  }

  /** W3C: a stopped transceiver is removed once the rejection of its m= line has been negotiated. */
  getTransceivers(): RTCRtpTransceiver[] {
    const core = this.core;
    return [...this.wrappers.values()].filter((w) => !core?.isTransceiverRemoved(w.core.id));
  }

  getSenders(): RTCRtpSender[] {
    return this.getTransceivers().map((t) => t.sender);
  }

  getReceivers(): RTCRtpReceiver[] {
    return this.getTransceivers().map((t) => t.receiver);
  }

  async getStats(): Promise<Map<string, Record<string, unknown>>> {
    await this.ready;
    return buildStatsReport(this.requireCore(), (this.driver as Driver<PeerEvent>).now());
  }

  /** New ICE credentials; queues `negotiationneeded` — the next offer carries them (an ICE restart). */
  restartIce(): void {
    if (!this.core || this.closedFlag) return;
    this.driver?.act((c, now) => (c as PeerConnectionCore).restartIce(now));
    // webrtc-pc §4.4.1.x restartIce(): [[LocalIceCredentialsToReplace]], then update the negotiation-needed flag.
    if (this.core.iceAgent) this.iceRestartPending = true;
    this.negotiation.update();
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.driver?.act((c) => (c as PeerConnectionCore).close());
    void this.driver?.close();
    void this.mdns?.close();
    for (const t of this.wrappers.values()) if (t.receiver.track.remote) t.receiver.track.stop();
  }

  /**
   * Wait until the connection reaches `state` (rejects on 'failed'/'closed' when waiting for another).
   * Not W3C; a convenience for scripts and tests.
   */
  waitForConnectionState(state: PeerConnectionState, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.connectionState === state) return resolve();
      const timer = setTimeout(() => {
        this.removeEventListener('connectionstatechange', check);
        reject(new Error(`connection not ${state} after ${timeoutMs} ms (now ${this.connectionState})`));
      }, timeoutMs);
      const check = (): void => {
        if (this.connectionState === state) {
          clearTimeout(timer);
          this.removeEventListener('connectionstatechange', check);
          resolve();
        } else if (
          (this.connectionState === 'failed' || this.connectionState === 'closed') &&
          state !== this.connectionState
        ) {
          clearTimeout(timer);
          this.removeEventListener('connectionstatechange', check);
          reject(new Error(`connection ${this.connectionState} while waiting for ${state}`));
        }
      };
      this.addEventListener('connectionstatechange', check);
    });
  }

  // ---- internals ----

  private async call<R>(fn: (core: PeerConnectionCore, now: number) => R): Promise<R> {
    await this.ready;
    if (this.closedFlag) throw new DOMException('the peer connection is closed', 'InvalidStateError');
    try {
      return (this.driver as Driver<PeerEvent>).act((c, now) => fn(c as PeerConnectionCore, now));
    } catch (err) {
      throw domError(err);
    }
  }

  private requireCore(): PeerConnectionCore {
    if (!this.core)
      throw new DOMException('the connection is still starting: await pc.whenReady() first', 'InvalidStateError');
    return this.core;
  }

  private wrap(t: Transceiver, track: MediaStreamTrack | null): RTCRtpTransceiver {
    const id = t.id;
    const remoteTrack = new MediaStreamTrack({ kind: t.kind }, true);
    remoteTrack.setKeyframeRequester(() =>
      this.driver?.act((c, now) => (c as PeerConnectionCore).requestKeyframe(now, id)),
    );
    const sender = new RTCRtpSender(
      {
        negotiationChanged: () => this.negotiation.update(),
        sendRtp: (tid, p) => {
          const tr = this.core?.transceivers[tid];
          if (!tr || !this.driver || this.closedFlag) return false;
          const payloadType =
            p.payloadType ??
            (p.codecName
              ? tr?.codecs.find((c) => c.name.toUpperCase() === p.codecName?.toUpperCase())?.payloadType
              : undefined);
          if (p.codecName && payloadType === undefined) return false;
          return (this.driver as Driver<PeerEvent>).act((c, now) =>
            (c as PeerConnectionCore).sendRtp(now, tid, {
              payload: p.payload,
              timestamp: p.timestamp,
              marker: p.marker,
              ...(payloadType !== undefined ? { payloadType } : {}),
              ...(p.sequenceNumber !== undefined ? { sequenceNumber: p.sequenceNumber } : {}),
            }),
          );
        },
      },
      t,
      track,
    );
    const w = new RTCRtpTransceiver(t, sender, new RTCRtpReceiver(remoteTrack, t));
    w.setRemovedCheck(() => this.core?.isTransceiverRemoved(id) ?? false);
    w.setNegotiationHook(() => this.negotiation.update());
    this.wrappers.set(id, w);
    return w;
  }

  /** Transceivers the engine created for a remote offer, including those that raised no `track` event. */
  private wrapAll(): void {
    for (const t of this.core?.transceivers ?? []) if (!this.wrappers.has(t.id)) this.wrap(t, null);
  }

  private handleEvent(e: PeerEvent): void {
    switch (e.type) {
      case 'signaling-state':
        // A line the negotiation rejected stopped its transceiver (either side asked): its received track ends.
        if (e.state === 'stable') for (const w of this.wrappers.values()) if (w.core.stopped) w.receiver.track.stop();
        this.fire('signalingstatechange', this.onsignalingstatechange);
        // webrtc-pc §4.4.1.6: back in stable, update the negotiation-needed flag (fires again if still needed).
        if (e.state === 'stable') this.negotiation.signalingStable();
        return;
      case 'connection-state':
        this.fire('connectionstatechange', this.onconnectionstatechange);
        return;
      case 'ice-connection-state':
        this.fire('iceconnectionstatechange', this.oniceconnectionstatechange);
        return;
      case 'ice-gathering-state':
        this.fire('icegatheringstatechange', this.onicegatheringstatechange);
        return;
      case 'ice-candidate': {
        const ev = new RTCPeerConnectionIceEvent(
          e.candidate === null
            ? null
            : new RTCIceCandidate({ candidate: e.candidate, sdpMid: e.sdpMid, sdpMLineIndex: e.sdpMLineIndex }),
        );
        this.onicecandidate?.(ev);
        this.dispatchEvent(ev);
        return;
      }
      case 'track': {
        const t = this.core?.transceivers[e.transceiverId];
        const w = this.wrappers.get(e.transceiverId) ?? (t ? this.wrap(t, null) : undefined);
        if (!w) return;
        const ev = new RTCTrackEvent(w.receiver.track, w.receiver, w);
        this.ontrack?.(ev);
        this.dispatchEvent(ev);
        return;
      }
      case 'rtp':
        this.wrappers
          .get(e.transceiverId)
          ?.receiver.track.deliverRtp({ packet: e.packet, codec: e.codec, receivedAtMs: e.receivedAtMs });
        return;
      case 'sender-report':
        this.wrappers
          .get(e.transceiverId)
          ?.receiver.track.dispatchEvent(new CustomEvent('sender-report', { detail: e }));
        return;
      case 'keyframe-request':
        this.wrappers.get(e.transceiverId)?.sender.handleKeyframeRequest();
        return;
      case 'mdns-resolve': {
        if (this.config.rtcwire?.mdns === false) return;
        this.mdns ??= new MdnsResolver();
        const mdns = this.mdns;
        const settle = (address: string | undefined): void => {
          if (this.closedFlag) return; // resolved after close(): nothing left to tell
          this.driver?.act((c, now) => (c as PeerConnectionCore).resolveMdns(now, e.name, address));
        };
        mdns.resolve(e.name).then(settle, () => settle(undefined));
        return;
      }
      default:
        return;
    }
  }

  /** webrtc-pc §4.7.3 "check if negotiation is needed" on the engine's transceivers and current descriptions. */
  private negotiationNeeded(): boolean {
    const core = this.core;
    if (!core) return false;
    const local = core.currentLocalDescription;
    const remote = core.currentRemoteDescription;
    const type = this.pendingLocal?.type;
    return isNegotiationNeeded(
      core.getTransceivers(),
      local ? parseSdp(local) : undefined,
      remote ? parseSdp(remote) : undefined,
      { iceRestartPending: this.iceRestartPending, ...(type ? { localType: type } : {}) },
    );
  }

  private fire(type: string, handler: ((e: Event) => void) | null): void {
    const ev = new Event(type);
    handler?.(ev);
    this.dispatchEvent(ev);
  }
}
