import {
  type Datagram,
  type DatagramEndpoint,
  InvalidArgumentError,
  InvalidStateError,
  type Logger,
  type Millis,
  randomIceString,
  silentLogger,
} from '@rtcwire/common';
import { createFingerprintVerifier, fingerprintOf } from '@rtcwire/dtls';
import type { IceAgent, IceConnectionState } from '@rtcwire/ice';
import {
  bundleMids,
  fingerprints,
  iceParameters,
  parseSdp,
  type SessionDescription,
  setupRole,
  writeSdp,
} from '@rtcwire/sdp';
import type { Capabilities } from '../jsep/answer.js';
import type { MediaKind } from '../jsep/capabilities.js';
import type { SectionPlan } from '../jsep/description.js';
import { associateRemoteOffer, createTransceiver } from './apply-description.js';
import { BundleTransport } from './bundle-transport.js';
import { candidateTarget, describeLocal, withGatheredCandidates } from './local-description.js';
import { MediaEngine } from './media-engine.js';
import type { OutgoingRtp } from './media-sender.js';
import { associateByMid, settleStopped } from './mline-reuse.js';
import {
  announceTracks,
  answerSections,
  answerSetup,
  applyLocalAnswer,
  applyRemoteAnswer,
  applyRemoteOffer,
  firstUnusedMid,
  localCapabilities,
  type Negotiated,
  offerSections,
  remoteRestartsIce,
} from './offer-answer.js';
import { resolveRtpFeatures } from './rtp-features.js';
import type { SecureTransport } from './secure-transport.js';
import type { Transceiver } from './transceiver.js';
import { bundleTransportChanged, transportSection } from './transport-change.js';
import type { PeerConnectionState, PeerCoreOptions, PeerEvent, SdpType, SignalingState } from './types.js';

/**
 * The sans-IO peer connection: JSEP signaling, one ICE agent and one DTLS/SRTP transport for the
 * BUNDLE group (max-bundle), transceivers, RTP/RTCP. It is a `DatagramEndpoint<PeerEvent>`; a driver
 * feeds datagrams and timeouts and drains transmits and events. Local misuse throws
 * `InvalidStateError`/`InvalidArgumentError` (the W3C facade maps them to DOMExceptions).
 *
 * This class is the signaling side (descriptions, transceivers, offer/answer); the transport side (ICE agent,
 * DTLS/SRTP, connection state, datagram plumbing) is the internal `BundleTransport` (bundle-transport.ts).
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
  private readonly transport: BundleTransport;
  private readonly media: MediaEngine;
  private signaling: SignalingState = 'stable';
  private localDescription: SessionDescription | undefined;
  private remoteDescription: SessionDescription | undefined;
  private pendingRemoteOffer: SessionDescription | undefined;
  /** The descriptions of the last completed offer/answer (JSEP's current local/remote descriptions). */
  private negotiated: Negotiated | undefined;
  /** Ids of stopped transceivers whose rejection was negotiated: no longer in the W3C set of transceivers. */
  private readonly removed = new Set<number>();
  private nextMid = 0;

  constructor(private readonly options: PeerCoreOptions) {
    this.log = options.logger ?? silentLogger;
    const features = resolveRtpFeatures(options.rtp);
    this.caps = localCapabilities(options, features);
    this.ufrag = randomIceString(options.random, 8);
    this.pwd = randomIceString(options.random, 24);
    this.sessionId = String(options.random.uint32() * 2 ** 20 + (options.random.uint32() & 0xfffff));
    this.cname = randomIceString(options.random, 16);
    const leaf = options.certificate.certificateChain[0];
    if (!leaf) throw new InvalidArgumentError('certificate chain is empty');
    this.localFingerprint = fingerprintOf(leaf, 'sha-256');
    this.media = new MediaEngine(() => this.transceivers, {
      logger: this.log,
      wallClockMs: options.wallClockMs,
      jitter: () => options.random.float(),
      features,
    });
    this.transport = new BundleTransport({
      peer: options,
      log: this.log,
      ufrag: this.ufrag,
      pwd: this.pwd,
      media: this.media,
      events: this.events,
      // Where trickled local candidates belong (local-description.ts).
      candidateTarget: () => candidateTarget(this.pendingRemoteOffer ?? this.localDescription, this.transceivers),
    });
  }

  get signalingState(): SignalingState {
    return this.signaling;
  }

  get connectionState(): PeerConnectionState {
    return this.transport.connection;
  }

  get iceConnectionState(): IceConnectionState {
    return this.transport.iceState;
  }

  get iceAgent(): IceAgent | undefined {
    return this.transport.agent;
  }

  get secureTransport(): SecureTransport {
    return this.transport.secure;
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
    return desc && withGatheredCandidates(desc, this.transport.agent, this.options.relayOnly);
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
    const sections = offerSections(this.transceivers, this.negotiated, this.caps, this.cname, () => this.freshMid());
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
    const setup = answerSetup(offer, this.options.answerSetup ?? 'passive');
    const sections = answerSections(offer, this.transceivers, this.caps, this.cname);
    for (const s of sections)
      if (s.rejected && s.rejectReason) this.log.debug('rejecting section', { mid: s.mid, reason: s.rejectReason });
    return writeSdp(this.describe(sections, setup, bundleMids(offer)?.[0]));
  }

  setLocalDescription(now: Millis, type: SdpType, sdp: string): void {
    this.assertOpen();
    const desc = parseSdp(sdp);
    const transport = this.transport;
    if (type === 'offer') {
      if (this.signaling !== 'stable' && this.signaling !== 'have-local-offer')
        throw new InvalidStateError(`setLocalDescription(offer) in ${this.signaling}`);
      this.localDescription = desc;
      associateByMid(desc, this.transceivers);
      transport.ensureAgent(now, true);
      this.setSignaling('have-local-offer');
    } else {
      const remote = this.pendingRemoteOffer;
      if (this.signaling !== 'have-remote-offer' || !remote)
        throw new InvalidStateError(`setLocalDescription(answer) in ${this.signaling}`);
      this.localDescription = desc;
      this.remoteDescription = remote;
      this.pendingRemoteOffer = undefined;
      applyLocalAnswer(desc, this.transceivers);
      settleStopped(desc, this.transceivers, this.removed);
      this.negotiated = { local: desc, remote };
      transport.ensureAgent(now, iceParameters(transportSection(remote)!, remote)?.lite ?? false);
      const oursSection = transportSection(desc);
      const ours = oursSection ? setupRole(oursSection, desc) : undefined;
      transport.dtlsRole = ours === 'active' ? 'client' : 'server';
      this.setSignaling('stable');
      announceTracks(this.transceivers, this.events);
      transport.maybeStartDtls(now);
    }
    transport.agent?.gather(now);
    transport.flushAgent(now);
  }

  setRemoteDescription(now: Millis, type: SdpType, sdp: string): void {
    this.assertOpen();
    const desc = parseSdp(sdp);
    const first = transportSection(desc);
    const ice = first ? iceParameters(first, desc) : undefined;
    if (!first || !ice) throw new InvalidArgumentError('remote description has no media section with ICE credentials');
    const fps = fingerprints(first, desc);
    if (fps.length === 0) throw new InvalidArgumentError('remote description has no a=fingerprint');
    const transport = this.transport;
    transport.remoteVerifier = createFingerprintVerifier({ fingerprints: fps.map((f) => `${f.algorithm} ${f.value}`) });
    const transportChanged = bundleTransportChanged(this.remoteDescription, desc, transport.trickledForTransport);
    if (type === 'offer') {
      if (this.signaling !== 'stable' && this.signaling !== 'have-remote-offer')
        throw new InvalidStateError(`setRemoteDescription(offer) in ${this.signaling}`);
      if (transportChanged)
        transport.replaceBundleTransport(now, remoteRestartsIce(this.remoteDescription, ice.usernameFragment));
      associateRemoteOffer(desc, this.transceivers, (kind) => this.addTransceiver(kind));
      const remoteSends = applyRemoteOffer(desc, this.transceivers);
      this.pendingRemoteOffer = desc;
      // W3C webrtc-pc §4.4.1.6: a remote offer that sends on a section raises `track` during
      // setRemoteDescription, so the application can attach a track (e.g. echo) before answering.
      announceTracks(this.transceivers, this.events, remoteSends);
      transport.ensureAgent(now, ice.lite);
      this.setSignaling('have-remote-offer');
    } else {
      const local = this.localDescription;
      if (this.signaling !== 'have-local-offer' || !local)
        throw new InvalidStateError(`setRemoteDescription(answer) in ${this.signaling}`);
      if (transportChanged) transport.replaceBundleTransport(now, false);
      this.remoteDescription = desc;
      applyRemoteAnswer(desc, local, this.transceivers);
      settleStopped(desc, this.transceivers, this.removed);
      this.negotiated = { local, remote: desc };
      const theirs = setupRole(first, desc);
      transport.dtlsRole = theirs === 'active' ? 'server' : 'client';
      this.setSignaling('stable');
      announceTracks(this.transceivers, this.events);
    }
    transport.applyRemote(now, ice, first);
  }

  /**
   * Trickle ICE (RFC 8838): a remote candidate, or null for end-of-candidates. `sdpMid` (when known) tells which
   * section's transport it belongs to; candidates for the BUNDLE-tag section (or with no mid) count as signalled
   * for the current transport (transport-change.ts).
   */
  addIceCandidate(now: Millis, candidate: string | null, sdpMid?: string | null): void {
    this.assertOpen();
    if (!this.transport.agent || (!this.remoteDescription && !this.pendingRemoteOffer))
      throw new InvalidStateError('addIceCandidate before setRemoteDescription');
    const remote = this.pendingRemoteOffer ?? this.remoteDescription;
    const forTransport = sdpMid == null || sdpMid === (remote && bundleMids(remote)?.[0]);
    this.transport.addRemoteCandidate(now, candidate, forTransport);
  }

  /**
   * RFC 8445 §9 / RFC 9429 §4.1.18: new local ICE credentials and a fresh gathering; the next offer carries
   * them, and media keeps flowing on the current pair until the restarted checks select one.
   */
  restartIce(now: Millis): void {
    this.assertOpen();
    this.transport.restartIce(now);
  }

  /** A `.local` name resolved by the driver (answer to an `mdns-resolve` event). */
  resolveMdns(now: Millis, name: string, address: string | undefined): void {
    this.transport.resolveMdns(now, name, address);
  }

  // ---- media ----

  /** Send one RTP packet on a transceiver; false when not (yet) possible (counted). */
  sendRtp(now: Millis, transceiverId: number, p: OutgoingRtp): boolean {
    const t = this.transceivers[transceiverId];
    if (!t) throw new InvalidArgumentError(`no transceiver ${transceiverId}`);
    if (!this.transport.secure.srtpSession) {
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
    if (this.transport.closed) return;
    this.transport.close();
    this.setSignaling('closed');
    this.transport.setConnection('closed');
  }

  // ---- DatagramEndpoint ----

  handleDatagram(now: Millis, datagram: Datagram): void {
    this.transport.handleDatagram(now, datagram);
  }

  handleTimeout(now: Millis): void {
    this.transport.handleTimeout(now);
  }

  pollTransmit(): Datagram | undefined {
    return this.transport.pollTransmit();
  }

  pollEvent(): PeerEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): Millis | undefined {
    return this.transport.pollTimeout();
  }

  // ---- internals ----

  private describe(
    sections: readonly SectionPlan[],
    setup: 'actpass' | 'active' | 'passive',
    bundleTag: string | undefined,
  ): SessionDescription {
    return describeLocal({
      sessionId: this.sessionId,
      sessionVersion: ++this.sessionVersion,
      sections,
      setup,
      bundleTag,
      agent: this.transport.agent,
      relayOnly: this.options.relayOnly,
      ufrag: this.ufrag,
      pwd: this.pwd,
      fingerprint: this.localFingerprint,
    });
  }

  private freshMid(): string {
    const descriptions = [this.negotiated?.local, this.negotiated?.remote, this.localDescription];
    const mid = firstUnusedMid(this.transceivers, descriptions, this.nextMid);
    this.nextMid = mid + 1;
    return String(mid);
  }

  private setSignaling(state: SignalingState): void {
    if (state === this.signaling) return;
    this.signaling = state;
    this.events.push({ type: 'signaling-state', state });
  }

  private assertOpen(): void {
    if (this.transport.closed) throw new InvalidStateError('the peer connection is closed');
  }
}
