import { type Datagram, earliest, type Logger, type Millis } from '@rtcwire/common';
import { AlertDescription, type PeerVerifier } from '@rtcwire/dtls';
import { IceAgent, type IceConnectionState, parseCandidate } from '@rtcwire/ice';
import { mediaCandidates, mediaEndOfCandidates, type SdpMedia } from '@rtcwire/sdp';
import { peerConnectionState } from './connection-state.js';
import type { MediaEngine } from './media-engine.js';
import { SecureTransport } from './secure-transport.js';
import { candidateKeyOf } from './transport-change.js';
import type { PeerConnectionState, PeerCoreOptions, PeerEvent } from './types.js';

/** GCM first (RFC 7714), then AES-CM (RFC 5764 §4.1.2). */
const DEFAULT_SRTP_PROFILE_IDS = [0x0007, 0x0008, 0x0001, 0x0002];

export interface BundleTransportOptions {
  readonly peer: PeerCoreOptions;
  readonly log: Logger;
  /** Our initial ICE credentials; an agent's current ones (after a restart) take over in later agents. */
  readonly ufrag: string;
  readonly pwd: string;
  readonly media: MediaEngine;
  /** The peer connection's event queue: transport events join it in the order they happen. */
  readonly events: PeerEvent[];
  /** Where a trickled local candidate belongs (decided by the signaling side). */
  readonly candidateTarget: () => { sdpMid: string | null; sdpMLineIndex: number | null };
}

/** The remote ICE parameters of the BUNDLE-tag section (RFC 8839 §5.4). */
export interface RemoteIce {
  readonly usernameFragment: string;
  readonly password: string;
  readonly lite: boolean;
}

/**
 * The transport side of `PeerConnectionCore` (internal): the ICE agent and the DTLS/SRTP transport of the BUNDLE
 * group, the plumbing between them and the `MediaEngine`, and the W3C connection state they make. The core owns
 * the signaling side and tells this what the descriptions decided (roles, remote parameters, transport moves).
 */
export class BundleTransport {
  agent: IceAgent | undefined;
  secure: SecureTransport;
  iceState: IceConnectionState = 'new';
  connection: PeerConnectionState = 'new';
  /** Checks the remote certificate against the a=fingerprint of the remote description. */
  remoteVerifier: PeerVerifier | undefined;
  /** Our DTLS role, from a=setup once the answer is applied (RFC 5763 §5). */
  dtlsRole: 'client' | 'server' | undefined;
  /** Keys of candidates the remote trickled for its current BUNDLE transport (transport-change.ts). */
  readonly trickledForTransport = new Set<string>();
  closed = false;
  private readonly peer: PeerCoreOptions;
  private readonly log: Logger;
  private readonly media: MediaEngine;
  private readonly events: PeerEvent[];

  constructor(private readonly options: BundleTransportOptions) {
    this.peer = options.peer;
    this.log = options.log;
    this.media = options.media;
    this.events = options.events;
    this.secure = new SecureTransport({
      random: this.peer.random,
      credential: this.peer.certificate,
      verifyPeer: (chain) =>
        this.remoteVerifier
          ? this.remoteVerifier(chain)
          : { ok: false, alert: AlertDescription.bad_certificate, reason: 'no remote fingerprint' },
      srtpProfiles: this.peer.srtpProfiles ?? DEFAULT_SRTP_PROFILE_IDS,
      logger: this.log,
    });
  }

  ensureAgent(_now: Millis, controlling: boolean, credentials?: { usernameFragment: string; password: string }): void {
    if (this.agent) return;
    this.agent = new IceAgent({
      random: this.peer.random,
      controlling,
      localAddresses: this.peer.localAddresses,
      ...(this.peer.stunServers ? { stunServers: this.peer.stunServers } : {}),
      ...(this.peer.turnServers ? { turnServers: this.peer.turnServers } : {}),
      ...(this.peer.relayOnly ? { relayOnly: true } : {}),
      usernameFragment: credentials?.usernameFragment ?? this.options.ufrag,
      password: credentials?.password ?? this.options.pwd,
      logger: this.log.child('ice'),
    });
  }

  /**
   * The BUNDLE group moved to a new transport (rule and references in transport-change.ts): a new ICE agent
   * with our current credentials and role (fresh checks and selection against the new remote candidates) and
   * a new DTLS/SRTP transport, started once the answer gives the roles. Transceivers, their SSRCs and
   * sequence numbers carry on. When the same remote offer also restarts ICE (a new ufrag), the new agent takes
   * new credentials too, as an answerer must (RFC 8445 §9).
   */
  replaceBundleTransport(now: Millis, iceRestart: boolean): void {
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

  /** The remote ICE parameters and the candidates listed in the remote BUNDLE-tag section, then DTLS if due. */
  applyRemote(now: Millis, ice: RemoteIce, section: SdpMedia): void {
    const agent = this.agent as IceAgent;
    agent.setRemoteParameters(now, {
      usernameFragment: ice.usernameFragment,
      password: ice.password,
      iceLite: ice.lite,
    });
    for (const c of mediaCandidates(section)) this.addRemoteCandidateText(now, c);
    if (mediaEndOfCandidates(section)) agent.endOfRemoteCandidates(now);
    this.maybeStartDtls(now);
    this.flushAgent(now);
  }

  /**
   * A trickled remote candidate (RFC 8838), or null/'' for end-of-candidates. `forTransport`: it was signalled
   * for the current BUNDLE transport (transport-change.ts).
   */
  addRemoteCandidate(now: Millis, candidate: string | null, forTransport: boolean): void {
    if (candidate === null || candidate === '') this.agent?.endOfRemoteCandidates(now);
    else {
      this.addRemoteCandidateText(now, candidate);
      const key = candidateKeyOf(candidate);
      if (key && forTransport) this.trickledForTransport.add(key);
    }
    this.flushAgent(now);
  }

  /** RFC 8445 §9: new local ICE credentials and a fresh gathering. */
  restartIce(now: Millis): void {
    if (!this.agent) return;
    this.agent.restart(now);
    this.flushAgent(now);
  }

  resolveMdns(now: Millis, name: string, address: string | undefined): void {
    this.agent?.resolveMdns(now, name, address);
    this.flushAgent(now);
  }

  /** Closes DTLS and ICE; the core then reports the closed signaling and connection states. */
  close(): void {
    this.secure.close();
    this.agent?.close();
    this.closed = true;
  }

  // ---- DatagramEndpoint plumbing ----

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

  pollTimeout(): Millis | undefined {
    if (this.closed) return undefined;
    return earliest(this.agent?.pollTimeout(), this.secure.pollTimeout(), this.media.pollTimeout());
  }

  maybeStartDtls(now: Millis): void {
    if (!this.dtlsRole || !this.remoteVerifier) return;
    // The server may start at once (it waits for a ClientHello); the client once ICE has a path.
    if (this.dtlsRole === 'server' || this.iceState === 'connected' || this.iceState === 'completed') {
      this.secure.start(now, this.dtlsRole);
      this.flushSecure(now);
    }
  }

  flushAgent(now: Millis): void {
    const agent = this.agent;
    if (!agent) return;
    for (let e = agent.pollEvent(); e; e = agent.pollEvent()) {
      switch (e.type) {
        case 'local-candidate':
          if (this.peer.relayOnly && e.candidate.type !== 'relay') break;
          this.events.push({
            type: 'ice-candidate',
            candidate: `candidate:${e.sdp.replace(/^candidate:/, '')}`,
            ...this.options.candidateTarget(),
          });
          break;
        case 'end-of-candidates':
          this.events.push({ type: 'ice-candidate', candidate: null, ...this.options.candidateTarget() });
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

  setConnection(state: PeerConnectionState): void {
    if (state === this.connection) return;
    this.connection = state;
    this.events.push({ type: 'connection-state', state });
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

  private updateConnectionState(): void {
    if (this.closed) return;
    this.setConnection(
      peerConnectionState(this.iceState, this.secure.dtlsState, !!this.secure.srtpSession, this.connection),
    );
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
}
