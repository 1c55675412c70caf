import {
  type Datagram,
  type DatagramEndpoint,
  earliest,
  InvalidArgumentError,
  InvalidStateError,
  type Logger,
  type Millis,
  randomIceString,
  silentLogger,
} from '@rtcwire/common';
import { AlertDescription, createFingerprintVerifier, fingerprintOf, type PeerVerifier } from '@rtcwire/dtls';
import { formatCandidate, IceAgent, type IceConnectionState, parseCandidate } from '@rtcwire/ice';
import {
  bundleMids,
  fingerprints,
  iceParameters,
  isRejected,
  mediaCandidates,
  mediaDirection,
  mediaEndOfCandidates,
  mediaMid,
  parseSdp,
  type SessionDescription,
  setupRole,
  writeSdp,
} from '@rtcwire/sdp';
import { type AnsweredSection, answerSection, type Capabilities } from '../jsep/answer.js';
import {
  DEFAULT_AUDIO_CODECS,
  DEFAULT_HEADER_EXTENSIONS,
  DEFAULT_VIDEO_CODECS,
  type MediaKind,
} from '../jsep/capabilities.js';
import { buildDescription, type SectionPlan } from '../jsep/description.js';
import { offerSection } from '../jsep/offer.js';
import { associateRemoteOffer, createTransceiver, learnRemoteSsrcs, settleFromAnswer } from './apply-description.js';
import { MediaEngine } from './media-engine.js';
import type { OutgoingRtp } from './media-sender.js';
import { associateByMid, associateLine, keptSection, planOfferLayout, settleStopped } from './mline-reuse.js';
import { codecsWithFeatures, extensionsWithFeatures, resolveRtpFeatures } from './rtp-features.js';
import { SecureTransport } from './secure-transport.js';
import type { Transceiver } from './transceiver.js';
import { bundleTransportChanged, candidateKeyOf, transportSection } from './transport-change.js';
import type { PeerConnectionState, PeerCoreOptions, PeerEvent, SdpType, SignalingState } from './types.js';

/** GCM first (RFC 7714), then AES-CM (RFC 5764 §4.1.2). */
const DEFAULT_SRTP_PROFILE_IDS = [0x0007, 0x0008, 0x0001, 0x0002];

/**
 * The sans-IO peer connection: JSEP signaling, one ICE agent and one DTLS/SRTP transport for the
 * BUNDLE group (max-bundle), transceivers, RTP/RTCP. It is a `DatagramEndpoint<PeerEvent>`; a driver
 * feeds datagrams and timeouts and drains transmits and events. Local misuse throws
 * `InvalidStateError`/`InvalidArgumentError` (the W3C facade maps them to DOMExceptions).
 */
export class PeerConnectionCore implements DatagramEndpoint<PeerEvent> {
  readonly transceivers: Transceiver[] = [];
  private readonly log: Logger;
  private readonly caps: Capabilities;
  private readonly events: PeerEvent[] = [];
  private readonly ufrag: string;
  private readonly pwd: string;
  private readonly sessionId: string;
  private readonly cname: string;
  private readonly localFingerprint: string;
  private sessionVersion = 0;
  private agent: IceAgent | undefined;
  private secure: SecureTransport;
  private readonly media: MediaEngine;
  private signaling: SignalingState = 'stable';
  private connection: PeerConnectionState = 'new';
  private iceState: IceConnectionState = 'new';
  private localDescription: SessionDescription | undefined;
  private remoteDescription: SessionDescription | undefined;
  private pendingRemoteOffer: SessionDescription | undefined;
  /** The descriptions of the last completed offer/answer (JSEP's current local/remote descriptions). */
  private negotiated: { local: SessionDescription; remote: SessionDescription } | undefined;
  /** Ids of stopped transceivers whose rejection was negotiated: no longer in the W3C set of transceivers. */
  private readonly removed = new Set<number>();
  /** Keys of candidates the remote trickled for its current BUNDLE transport (transport-change.ts). */
  private readonly trickledForTransport = new Set<string>();
  private remoteVerifier: PeerVerifier | undefined;
  private dtlsRole: 'client' | 'server' | undefined;
  private nextMid = 0;
  private closed = false;

  constructor(private readonly options: PeerCoreOptions) {
    this.log = options.logger ?? silentLogger;
    const features = resolveRtpFeatures(options.rtp);
    this.caps = {
      codecs: {
        audio: codecsWithFeatures(options.codecs?.audio ?? DEFAULT_AUDIO_CODECS, features),
        video: codecsWithFeatures(options.codecs?.video ?? DEFAULT_VIDEO_CODECS, features),
      },
      extensions: extensionsWithFeatures(options.headerExtensions ?? DEFAULT_HEADER_EXTENSIONS, features),
    };
    this.ufrag = randomIceString(options.random, 8);
    this.pwd = randomIceString(options.random, 24);
    this.sessionId = String(options.random.uint32() * 2 ** 20 + (options.random.uint32() & 0xfffff));
    this.cname = randomIceString(options.random, 16);
    const leaf = options.certificate.certificateChain[0];
    if (!leaf) throw new InvalidArgumentError('certificate chain is empty');
    this.localFingerprint = fingerprintOf(leaf, 'sha-256');
    this.secure = new SecureTransport({
      random: options.random,
      credential: options.certificate,
      verifyPeer: (chain) =>
        this.remoteVerifier
          ? this.remoteVerifier(chain)
          : { ok: false, alert: AlertDescription.bad_certificate, reason: 'no remote fingerprint' },
      srtpProfiles: options.srtpProfiles ?? DEFAULT_SRTP_PROFILE_IDS,
      logger: this.log,
    });
    this.media = new MediaEngine(() => this.transceivers, {
      logger: this.log,
      wallClockMs: options.wallClockMs,
      jitter: () => options.random.float(),
      features,
    });
  }

  get signalingState(): SignalingState {
    return this.signaling;
  }

  get connectionState(): PeerConnectionState {
    return this.connection;
  }

  get iceConnectionState(): IceConnectionState {
    return this.iceState;
  }

  get iceAgent(): IceAgent | undefined {
    return this.agent;
  }

  get secureTransport(): SecureTransport {
    return this.secure;
  }

  get mediaEngine(): MediaEngine {
    return this.media;
  }

  /**
   * The applied local description with the candidates gathered since (and end-of-candidates once
   * gathering completed), as browsers report `localDescription` — what non-trickle signalling (WHIP) sends.
   */
  get currentLocalDescription(): string | undefined {
    const desc = this.localDescription;
    if (!desc) return undefined;
    const agent = this.agent;
    const first = transportSection(desc);
    if (!agent || !first || isRejected(first)) return writeSdp(desc);
    const known = new Set(mediaCandidates(first));
    const extra = agent.localCandidates
      .filter((c) => !this.options.relayOnly || c.type === 'relay')
      .map((c) => formatCandidate(c).replace(/^candidate:/, ''))
      .filter((c) => !known.has(c));
    const copy: SessionDescription = {
      ...desc,
      media: desc.media.map((m) => ({ ...m, attributes: [...m.attributes] })),
    };
    const target = copy.media[desc.media.indexOf(first)] as (typeof copy.media)[number];
    const at = target.attributes.findIndex((a) => a.name === 'ice-ufrag');
    target.attributes.splice(Math.max(at, 0), 0, ...extra.map((value) => ({ name: 'candidate', value })));
    if (agent.gatheringState === 'complete' && !mediaEndOfCandidates(target))
      target.attributes.splice(at < 0 ? extra.length : at + extra.length, 0, { name: 'end-of-candidates' });
    return writeSdp(copy);
  }

  get currentRemoteDescription(): string | undefined {
    return this.remoteDescription && writeSdp(this.remoteDescription);
  }

  get localCertificateFingerprint(): string {
    return this.localFingerprint;
  }

  /**
   * The W3C set of transceivers: `transceivers` minus the stopped ones whose rejection has been negotiated
   * (webrtc-pc §4.4.1.6). Ids stay stable: `transceivers[id]` keeps every transceiver ever made.
   */
  getTransceivers(): Transceiver[] {
    return this.transceivers.filter((t) => !this.removed.has(t.id));
  }

  /** True once a stopped transceiver's rejected m= line has been negotiated (it left getTransceivers()). */
  isTransceiverRemoved(id: number): boolean {
    return this.removed.has(id);
  }

  addTransceiver(
    kind: MediaKind,
    init: { direction?: Transceiver['direction']; streamIds?: readonly string[]; trackId?: string } = {},
  ): Transceiver {
    this.assertOpen();
    const t = createTransceiver(
      this.transceivers.length,
      kind,
      init.direction ?? 'sendrecv',
      this.options.random,
      this.cname,
      init,
    );
    this.transceivers.push(t);
    return t;
  }

  // ---- JSEP ----

  createOffer(): string {
    this.assertOpen();
    if (this.signaling !== 'stable' && this.signaling !== 'have-local-offer')
      throw new InvalidStateError(`createOffer in ${this.signaling}`);
    // RFC 9429 §5.2.2: lines keep their index; a new transceiver recycles a rejected line or is appended.
    const slots = planOfferLayout(this.transceivers, this.negotiated?.local, this.negotiated?.remote);
    const sections: SectionPlan[] = slots.map((slot, i) => {
      if ('kept' in slot) return keptSection(slot.kept, i);
      const t = slot.transceiver;
      if (t.mid === null) t.mid = this.freshMid();
      return offerSection(
        {
          mid: t.mid,
          kind: t.kind,
          direction: t.direction,
          sender: {
            ssrc: t.sender.ssrc,
            rtxSsrc: t.sender.rtxSsrc,
            cname: this.cname,
            streamIds: t.sender.streamIds,
            trackId: t.sender.trackId,
          },
          ...(t.codecs.length > 0 ? { negotiatedCodecs: t.codecs, negotiatedExtensions: t.extensions } : {}),
          stopped: t.stopped,
        },
        this.caps.codecs[t.kind],
        this.caps.extensions,
      );
    });
    // The BUNDLE group in m= line order, as Chromium writes it: after line 0 is recycled the tag moves to it, and
    // with it the transport (transport-change.ts). Keeping the old tag first instead makes Chromium 156 fail
    // setLocalDescription(answer) with "Failed to setup RTCP mux" for the recycled line (tried).
    return writeSdp(this.describe(sections, 'actpass', undefined));
  }

  createAnswer(): string {
    this.assertOpen();
    const offer = this.pendingRemoteOffer;
    if (this.signaling !== 'have-remote-offer' || !offer)
      throw new InvalidStateError(`createAnswer in ${this.signaling}`);
    const offered = transportSection(offer);
    const remoteSetup = offered ? setupRole(offered, offer) : undefined;
    const setup =
      remoteSetup === 'active'
        ? 'passive'
        : remoteSetup === 'passive'
          ? 'active'
          : (this.options.answerSetup ?? 'passive');
    const sections: AnsweredSection[] = offer.media.map((m, i) => {
      const t = this.transceivers.find((x) => x.mLineIndex === i);
      return answerSection(
        {
          offered: m,
          transceiverDirection: t && !t.stopped ? t.direction : 'inactive',
          ...(t?.stopped ? { stopped: true } : {}),
          ...(t
            ? {
                sender: {
                  ssrc: t.sender.ssrc,
                  rtxSsrc: t.sender.rtxSsrc,
                  cname: this.cname,
                  streamIds: t.sender.streamIds,
                  trackId: t.sender.trackId,
                },
              }
            : {}),
        },
        offer,
        this.caps,
      );
    });
    for (const s of sections)
      if (s.rejected && s.rejectReason) this.log.debug('rejecting section', { mid: s.mid, reason: s.rejectReason });
    return writeSdp(this.describe(sections, setup, bundleMids(offer)?.[0]));
  }

  setLocalDescription(now: Millis, type: SdpType, sdp: string): void {
    this.assertOpen();
    const desc = parseSdp(sdp);
    if (type === 'offer') {
      if (this.signaling !== 'stable' && this.signaling !== 'have-local-offer')
        throw new InvalidStateError(`setLocalDescription(offer) in ${this.signaling}`);
      this.localDescription = desc;
      associateByMid(desc, this.transceivers);
      this.ensureAgent(now, true);
      this.setSignaling('have-local-offer');
    } else {
      if (this.signaling !== 'have-remote-offer' || !this.pendingRemoteOffer)
        throw new InvalidStateError(`setLocalDescription(answer) in ${this.signaling}`);
      this.localDescription = desc;
      this.remoteDescription = this.pendingRemoteOffer;
      this.pendingRemoteOffer = undefined;
      desc.media.forEach((m, i) => {
        const t = this.transceivers.find((x) => x.mLineIndex === i);
        if (t) settleFromAnswer(t, m, true, desc);
      });
      settleStopped(desc, this.transceivers, this.removed);
      this.negotiated = { local: desc, remote: this.remoteDescription };
      this.ensureAgent(
        now,
        (this.remoteDescription &&
          iceParameters(transportSection(this.remoteDescription)!, this.remoteDescription)?.lite) ??
          false,
      );
      const oursSection = transportSection(desc);
      const ours = oursSection ? setupRole(oursSection, desc) : undefined;
      this.dtlsRole = ours === 'active' ? 'client' : 'server';
      this.setSignaling('stable');
      this.announceTracks();
      this.maybeStartDtls(now);
    }
    this.agent?.gather(now);
    this.flushAgent(now);
  }

  setRemoteDescription(now: Millis, type: SdpType, sdp: string): void {
    this.assertOpen();
    const desc = parseSdp(sdp);
    const first = transportSection(desc);
    const ice = first ? iceParameters(first, desc) : undefined;
    if (!first || !ice) throw new InvalidArgumentError('remote description has no media section with ICE credentials');
    const fps = fingerprints(first, desc);
    if (fps.length === 0) throw new InvalidArgumentError('remote description has no a=fingerprint');
    this.remoteVerifier = createFingerprintVerifier({ fingerprints: fps.map((f) => `${f.algorithm} ${f.value}`) });
    const transportChanged = bundleTransportChanged(this.remoteDescription, desc, this.trickledForTransport);
    if (type === 'offer') {
      if (this.signaling !== 'stable' && this.signaling !== 'have-remote-offer')
        throw new InvalidStateError(`setRemoteDescription(offer) in ${this.signaling}`);
      if (transportChanged) this.replaceBundleTransport(now, this.remoteRestartsIce(ice.usernameFragment));
      associateRemoteOffer(desc, this.transceivers, (kind) => this.addTransceiver(kind));
      const remoteSends: Transceiver[] = [];
      desc.media.forEach((m, i) => {
        const t = this.transceivers.find((x) => x.mLineIndex === i);
        if (!t) return;
        learnRemoteSsrcs(t, m);
        const dir = mediaDirection(m, desc);
        if (!isRejected(m) && (dir === 'sendrecv' || dir === 'sendonly')) remoteSends.push(t);
      });
      this.pendingRemoteOffer = desc;
      // W3C webrtc-pc §4.4.1.6: a remote offer that sends on a section raises `track` during
      // setRemoteDescription, so the application can attach a track (e.g. echo) before answering.
      this.announceTracks(remoteSends);
      this.ensureAgent(now, ice.lite);
      this.setSignaling('have-remote-offer');
    } else {
      if (this.signaling !== 'have-local-offer' || !this.localDescription)
        throw new InvalidStateError(`setRemoteDescription(answer) in ${this.signaling}`);
      if (transportChanged) this.replaceBundleTransport(now, false);
      this.remoteDescription = desc;
      desc.media.forEach((m, i) => {
        const t = this.transceivers.find(
          (x) => x.mid === (this.localDescription?.media[i] && m.attributes.find((a) => a.name === 'mid')?.value),
        );
        if (!t) return;
        associateLine(this.transceivers, t, i);
        settleFromAnswer(t, m, false, desc);
        learnRemoteSsrcs(t, m);
      });
      settleStopped(desc, this.transceivers, this.removed);
      this.negotiated = { local: this.localDescription, remote: desc };
      const theirs = setupRole(first, desc);
      this.dtlsRole = theirs === 'active' ? 'server' : 'client';
      this.setSignaling('stable');
      this.announceTracks();
    }
    const agent = this.agent as IceAgent;
    agent.setRemoteParameters(now, {
      usernameFragment: ice.usernameFragment,
      password: ice.password,
      iceLite: ice.lite,
    });
    for (const c of mediaCandidates(first)) this.addRemoteCandidateText(now, c);
    if (mediaEndOfCandidates(first)) agent.endOfRemoteCandidates(now);
    this.maybeStartDtls(now);
    this.flushAgent(now);
  }

  /**
   * Trickle ICE (RFC 8838): a remote candidate, or null for end-of-candidates. `sdpMid` (when known) tells which
   * section's transport it belongs to; candidates for the BUNDLE-tag section (or with no mid) count as signalled
   * for the current transport (transport-change.ts).
   */
  addIceCandidate(now: Millis, candidate: string | null, sdpMid?: string | null): void {
    this.assertOpen();
    if (!this.agent || (!this.remoteDescription && !this.pendingRemoteOffer))
      throw new InvalidStateError('addIceCandidate before setRemoteDescription');
    if (candidate === null || candidate === '') this.agent.endOfRemoteCandidates(now);
    else {
      this.addRemoteCandidateText(now, candidate);
      const remote = this.pendingRemoteOffer ?? this.remoteDescription;
      const key = candidateKeyOf(candidate);
      if (key && (sdpMid == null || sdpMid === (remote && bundleMids(remote)?.[0]))) this.trickledForTransport.add(key);
    }
    this.flushAgent(now);
  }

  /**
   * RFC 8445 §9 / RFC 9429 §4.1.18: new local ICE credentials and a fresh gathering; the next offer carries
   * them, and media keeps flowing on the current pair until the restarted checks select one.
   */
  restartIce(now: Millis): void {
    this.assertOpen();
    if (!this.agent) return;
    this.agent.restart(now);
    this.flushAgent(now);
  }

  /** A `.local` name resolved by the driver (answer to an `mdns-resolve` event). */
  resolveMdns(now: Millis, name: string, address: string | undefined): void {
    this.agent?.resolveMdns(now, name, address);
    this.flushAgent(now);
  }

  // ---- media ----

  /** Send one RTP packet on a transceiver; false when not (yet) possible (counted). */
  sendRtp(now: Millis, transceiverId: number, p: OutgoingRtp): boolean {
    const t = this.transceivers[transceiverId];
    if (!t) throw new InvalidArgumentError(`no transceiver ${transceiverId}`);
    if (!this.secure.srtpSession) {
      this.media.sendDrops.add('send_before_srtp');
      return false;
    }
    return this.media.send(now, t, p);
  }

  /** Ask the remote sender of a transceiver for a keyframe (RTCP PLI, or FIR when only that was negotiated). */
  requestKeyframe(now: Millis, transceiverId: number): boolean {
    const t = this.transceivers[transceiverId];
    if (!t) throw new InvalidArgumentError(`no transceiver ${transceiverId}`);
    return this.media.requestKeyframe(now, t);
  }

  close(): void {
    if (this.closed) return;
    this.secure.close();
    this.agent?.close();
    this.closed = true;
    this.setSignaling('closed');
    this.setConnection('closed');
  }

  // ---- DatagramEndpoint ----

  handleDatagram(now: Millis, datagram: Datagram): void {
    if (this.closed || !this.agent) return;
    this.agent.handleDatagram(now, datagram);
    this.flushAgent(now);
  }

  handleTimeout(now: Millis): void {
    if (this.closed) return;
    this.agent?.handleTimeout(now);
    this.flushAgent(now);
    this.secure.handleTimeout(now);
    this.media.handleTimeout(now);
    this.flushSecure(now);
  }

  pollTransmit(): Datagram | undefined {
    if (this.agent) {
      for (let d = this.secure.pollTransmit(); d; d = this.secure.pollTransmit()) this.agent.send(d);
      for (let r = this.media.pollRtcp(); r; r = this.media.pollRtcp()) {
        if (this.secure.sendRtcp(r)) this.agent.send(this.secure.pollTransmit() as Uint8Array);
      }
      for (let r = this.media.pollRtp(); r; r = this.media.pollRtp()) {
        if (this.secure.sendRtp(r)) this.agent.send(this.secure.pollTransmit() as Uint8Array);
      }
    }
    return this.agent?.pollTransmit();
  }

  pollEvent(): PeerEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): Millis | undefined {
    if (this.closed) return undefined;
    return earliest(this.agent?.pollTimeout(), this.secure.pollTimeout(), this.media.pollTimeout());
  }

  // ---- internals ----

  private describe(
    sections: readonly SectionPlan[],
    setup: 'actpass' | 'active' | 'passive',
    bundleTag: string | undefined,
  ): SessionDescription {
    const agent = this.agent;
    const candidates = agent
      ? agent.localCandidates
          .filter((c) => !this.options.relayOnly || c.type === 'relay')
          .map((c) => formatCandidate(c))
      : [];
    const selected = agent?.localCandidates[0];
    return buildDescription({
      sessionId: this.sessionId,
      sessionVersion: ++this.sessionVersion,
      sections,
      ...(bundleTag !== undefined ? { bundleTag } : {}),
      transport: {
        // The agent's current credentials: an ICE restart (ours, or the remote's new ufrag) replaces them.
        iceUfrag: agent?.localParameters.usernameFragment ?? this.ufrag,
        icePwd: agent?.localParameters.password ?? this.pwd,
        iceLite: false,
        fingerprints: [parseSdpFingerprint(this.localFingerprint)],
        setup,
        candidates,
        endOfCandidates: agent?.gatheringState === 'complete',
        ...(selected ? { defaultAddress: { address: selected.address, port: selected.port } } : {}),
      },
    });
  }

  /**
   * The BUNDLE group moved to a new transport (rule and references in transport-change.ts): a new ICE agent
   * with our current credentials and role (fresh checks and selection against the new remote candidates) and
   * a new DTLS/SRTP transport, started once the answer gives the roles. Transceivers, their SSRCs and
   * sequence numbers carry on. When the same remote offer also restarts ICE (a new ufrag), the new agent takes
   * new credentials too, as an answerer must (RFC 8445 §9).
   */
  private replaceBundleTransport(now: Millis, iceRestart: boolean): void {
    const old = this.agent;
    if (old) {
      this.flushAgent(now);
      this.agent = undefined;
      this.ensureAgent(now, old.controlling, old.localParameters);
      old.close();
      const fresh = this.agent as IceAgent | undefined;
      if (iceRestart) fresh?.restart(now);
      else fresh?.gather(now);
    }
    this.secure = this.secure.renew();
    this.trickledForTransport.clear();
    this.dtlsRole = undefined;
    this.iceState = 'new';
    this.log.debug('BUNDLE transport changed: new ICE checks and a new DTLS handshake');
  }

  private ensureAgent(
    _now: Millis,
    controlling: boolean,
    credentials?: { usernameFragment: string; password: string },
  ): void {
    if (this.agent) return;
    this.agent = new IceAgent({
      random: this.options.random,
      controlling,
      localAddresses: this.options.localAddresses,
      ...(this.options.stunServers ? { stunServers: this.options.stunServers } : {}),
      ...(this.options.turnServers ? { turnServers: this.options.turnServers } : {}),
      ...(this.options.relayOnly ? { relayOnly: true } : {}),
      usernameFragment: credentials?.usernameFragment ?? this.ufrag,
      password: credentials?.password ?? this.pwd,
      logger: this.log.child('ice'),
    });
  }

  private addRemoteCandidateText(now: Millis, text: string): void {
    try {
      const c = parseCandidate(text.startsWith('candidate:') ? text.slice('candidate:'.length) : text);
      if (c.protocol !== 'udp') return;
      this.agent?.addRemoteCandidate(now, c);
    } catch (err) {
      this.log.debug('ignoring unparsable remote candidate', { text, error: String(err) });
    }
  }

  private maybeStartDtls(now: Millis): void {
    if (!this.dtlsRole || !this.remoteVerifier) return;
    // The server may start at once (it waits for a ClientHello); the client once ICE has a path.
    if (this.dtlsRole === 'server' || this.iceState === 'connected' || this.iceState === 'completed') {
      this.secure.start(now, this.dtlsRole);
      this.flushSecure(now);
    }
  }

  private flushAgent(now: Millis): void {
    const agent = this.agent;
    if (!agent) return;
    for (let e = agent.pollEvent(); e; e = agent.pollEvent()) {
      switch (e.type) {
        case 'local-candidate':
          if (this.options.relayOnly && e.candidate.type !== 'relay') break;
          this.events.push({
            type: 'ice-candidate',
            candidate: `candidate:${e.sdp.replace(/^candidate:/, '')}`,
            ...this.candidateTarget(),
          });
          break;
        case 'end-of-candidates':
          this.events.push({ type: 'ice-candidate', candidate: null, ...this.candidateTarget() });
          break;
        case 'gathering-state':
          this.events.push({ type: 'ice-gathering-state', state: e.state });
          break;
        case 'state':
          this.iceState = e.state;
          this.events.push({ type: 'ice-connection-state', state: e.state });
          this.maybeStartDtls(now);
          this.updateConnectionState();
          break;
        case 'mdns-resolve':
          this.events.push({ type: 'mdns-resolve', name: e.name });
          break;
        case 'data':
          this.secure.handleDatagram(now, e.data);
          break;
        default:
          break;
      }
    }
    this.flushSecure(now);
  }

  private flushSecure(now: Millis): void {
    for (let e = this.secure.pollEvent(); e; e = this.secure.pollEvent()) {
      switch (e.type) {
        case 'rtp':
          this.media.handleRtp(now, e.packet);
          break;
        case 'rtcp':
          this.media.handleRtcp(now, e.packet);
          break;
        case 'dtls-state':
          this.events.push({ type: 'dtls-state', state: e.state });
          this.updateConnectionState();
          break;
        case 'srtp-ready':
          this.events.push({ type: 'dtls-connected', info: e.info });
          this.media.start(now);
          this.updateConnectionState();
          break;
        case 'failed':
          this.log.warn('secure transport failed', { reason: e.reason });
          this.updateConnectionState();
          break;
      }
    }
    for (let m = this.media.pollEvent(); m; m = this.media.pollEvent()) this.events.push(m);
  }

  /** W3C RTCPeerConnectionState from the ICE and DTLS transports (webrtc-pc §4.4.3). */
  private updateConnectionState(): void {
    if (this.closed) return;
    const dtls = this.secure.dtlsState;
    const ice = this.iceState;
    let next: PeerConnectionState;
    if (ice === 'failed' || dtls === 'failed') next = 'failed';
    else if (ice === 'disconnected') next = 'disconnected';
    else if ((ice === 'connected' || ice === 'completed') && dtls === 'connected' && this.secure.srtpSession)
      next = 'connected';
    else if (
      ice === 'checking' ||
      dtls === 'handshaking' ||
      ((ice === 'connected' || ice === 'completed') && dtls !== 'connected')
    )
      next = 'connecting';
    else next = this.connection === 'new' ? 'new' : this.connection;
    this.setConnection(next);
  }

  private announceTracks(remoteSends?: readonly Transceiver[]): void {
    for (const t of this.transceivers) {
      const dir = t.currentDirection;
      const sends = remoteSends ? remoteSends.includes(t) : dir === 'recvonly' || dir === 'sendrecv';
      if (t.trackAnnounced || !t.mid || !sends) continue;
      t.trackAnnounced = true;
      this.events.push({ type: 'track', transceiverId: t.id, mid: t.mid, kind: t.kind });
    }
  }

  private freshMid(): string {
    // RFC 9429 §5.2.2: a recycled line gets a new mid, so skip every mid the session has used.
    const used = new Set<string | null>(this.transceivers.map((t) => t.mid));
    for (const d of [this.negotiated?.local, this.negotiated?.remote, this.localDescription])
      for (const m of d?.media ?? []) used.add(mediaMid(m) ?? null);
    while (used.has(String(this.nextMid))) this.nextMid++;
    return String(this.nextMid++);
  }

  /** A remote offer restarts ICE when its ufrag differs from the one of the current remote description. */
  private remoteRestartsIce(ufrag: string): boolean {
    const previous = this.remoteDescription;
    const section = previous && transportSection(previous);
    const before = previous && section ? iceParameters(section, previous)?.usernameFragment : undefined;
    return before !== undefined && before !== ufrag;
  }

  /**
   * Where trickled candidates belong: the BUNDLE-tag section (it can move, transport-change.ts) of the remote
   * offer we are answering (our answer keeps its tag) or else of our description.
   */
  private candidateTarget(): { sdpMid: string | null; sdpMLineIndex: number | null } {
    const desc = this.pendingRemoteOffer ?? this.localDescription;
    const section = desc && transportSection(desc);
    if (desc && section && !isRejected(section))
      return { sdpMid: mediaMid(section) ?? null, sdpMLineIndex: desc.media.indexOf(section) };
    return { sdpMid: this.firstMid(), sdpMLineIndex: 0 };
  }

  private firstMid(): string | null {
    return this.transceivers.find((t) => t.mid !== null && !t.stopped)?.mid ?? null;
  }

  private setSignaling(state: SignalingState): void {
    if (state === this.signaling) return;
    this.signaling = state;
    this.events.push({ type: 'signaling-state', state });
  }

  private setConnection(state: PeerConnectionState): void {
    if (state === this.connection) return;
    this.connection = state;
    this.events.push({ type: 'connection-state', state });
  }

  private assertOpen(): void {
    if (this.closed) throw new InvalidStateError('the peer connection is closed');
  }
}

function parseSdpFingerprint(text: string): { algorithm: string; value: string } {
  const [algorithm = 'sha-256', value = ''] = text.split(' ');
  return { algorithm, value };
}
