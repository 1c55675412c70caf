import { copyBytes, DropCounters, earliest, type Logger, type Millis, type RandomSource } from '@rtcwire/common';
import {
  DtlsClient,
  type DtlsConnection,
  type DtlsConnectionInfo,
  type DtlsCredential,
  DtlsServer,
  type DtlsState,
  type PeerVerifier,
} from '@rtcwire/dtls';
import {
  keyingMaterialLength,
  SRTP_PROFILES,
  type SrtpProfileInfo,
  type SrtpSession,
  srtpSessionFromKeyingMaterial,
} from '@rtcwire/srtp';
import { classifyPacket } from './demux.js';

/**
 * DTLS over the selected ICE pair, then SRTP keyed from it (RFC 5764 §4.2). One per BUNDLE group.
 * It does not touch ICE: the caller hands it non-STUN datagrams and drains what to send.
 */
export interface SecureTransportOptions {
  random: RandomSource;
  credential: DtlsCredential;
  verifyPeer: PeerVerifier;
  /** DTLS-SRTP profile ids in our preference order (server side decides). */
  srtpProfiles: readonly number[];
  logger: Logger;
  mtu?: number;
}

export type SecureTransportEvent =
  | { type: 'dtls-state'; state: DtlsState }
  | { type: 'srtp-ready'; info: DtlsConnectionInfo }
  | { type: 'rtp'; packet: Uint8Array }
  | { type: 'rtcp'; packet: Uint8Array }
  | { type: 'failed'; reason: string };

export class SecureTransport {
  readonly drops = new DropCounters();
  private dtls: DtlsConnection | undefined;
  private srtp: SrtpSession | undefined;
  private info: DtlsConnectionInfo | undefined;
  private state: DtlsState = 'new';
  private readonly events: SecureTransportEvent[] = [];
  private readonly outgoing: Uint8Array[] = [];
  /** Datagrams that arrived before the role was known (e.g. a ClientHello before our answer applied). */
  private early: Uint8Array[] = [];

  constructor(private readonly options: SecureTransportOptions) {}

  get dtlsState(): DtlsState {
    return this.state;
  }

  get connectionInfo(): DtlsConnectionInfo | undefined {
    return this.info;
  }

  get srtpSession(): SrtpSession | undefined {
    return this.srtp;
  }

  /**
   * A fresh transport with the same options, for a new DTLS association when the BUNDLE transport changes
   * (RFC 8842: an association per transport; see transport-change.ts): new handshake, new SRTP keys.
   * This one is left as it is.
   */
  renew(): SecureTransport {
    return new SecureTransport(this.options);
  }

  /** Start DTLS in `role` (from a=setup, RFC 5763 §5). A client sends its ClientHello at once. */
  start(now: Millis, role: 'client' | 'server'): void {
    if (this.dtls) return;
    const common = {
      random: this.options.random,
      credential: this.options.credential,
      verifyPeer: this.options.verifyPeer,
      srtpProfiles: this.options.srtpProfiles,
      logger: this.options.logger.child('dtls'),
      initialRetransmitMs: 400,
      ...(this.options.mtu !== undefined ? { mtu: this.options.mtu } : {}),
    };
    // ICE already proved the path, so the server skips the cookie round trip (RFC 6347 §4.2.1 allows it).
    this.dtls =
      role === 'client' ? new DtlsClient(common) : new DtlsServer({ ...common, cookie: false, clientAuth: 'require' });
    this.setState('handshaking');
    this.dtls.handleTimeout(now);
    const early = this.early;
    this.early = [];
    for (const d of early) this.dtls.handle(now, d);
    this.drain(now);
  }

  /** A non-STUN datagram from the selected pair. */
  handleDatagram(now: Millis, data: Uint8Array): void {
    switch (classifyPacket(data)) {
      case 'dtls':
        if (!this.dtls) {
          if (this.early.length < 16) this.early.push(copyBytes(data));
          else this.drops.add('dtls_before_start');
          return;
        }
        this.dtls.handle(now, data);
        this.drain(now);
        return;
      case 'rtp':
        if (!this.srtp) {
          this.drops.add('srtp_not_ready');
          return;
        }
        this.unprotect(data, false);
        return;
      case 'rtcp':
        if (!this.srtp) {
          this.drops.add('srtp_not_ready');
          return;
        }
        this.unprotect(data, true);
        return;
      default:
        this.drops.add('unknown_first_byte');
    }
  }

  handleTimeout(now: Millis): void {
    if (!this.dtls) return;
    this.dtls.handleTimeout(now);
    this.drain(now);
  }

  pollTimeout(): Millis | undefined {
    return earliest(this.dtls?.pollTimeout());
  }

  pollTransmit(): Uint8Array | undefined {
    return this.outgoing.shift();
  }

  pollEvent(): SecureTransportEvent | undefined {
    return this.events.shift();
  }

  /** Protect and queue an RTP packet; false when SRTP is not ready yet. */
  sendRtp(packet: Uint8Array): boolean {
    if (!this.srtp) return false;
    this.outgoing.push(this.srtp.local.protect(packet));
    return true;
  }

  sendRtcp(packet: Uint8Array): boolean {
    if (!this.srtp) return false;
    this.outgoing.push(this.srtp.local.protectRtcp(packet));
    return true;
  }

  close(): void {
    this.dtls?.close();
    while (this.dtls) {
      const d = this.dtls.pollTransmit();
      if (!d) break;
      this.outgoing.push(d);
    }
    this.setState('closed');
  }

  private unprotect(data: Uint8Array, rtcp: boolean): void {
    const srtp = this.srtp as SrtpSession;
    const result = rtcp ? srtp.remote.unprotectRtcp(data) : srtp.remote.unprotect(data);
    if (!result.ok) {
      this.drops.add(`${rtcp ? 'srtcp' : 'srtp'}_${result.reason}`);
      return;
    }
    this.events.push({ type: rtcp ? 'rtcp' : 'rtp', packet: result.packet });
  }

  private drain(_now: Millis): void {
    const dtls = this.dtls;
    if (!dtls) return;
    for (let d = dtls.pollTransmit(); d; d = dtls.pollTransmit()) this.outgoing.push(d);
    for (let e = dtls.pollEvent(); e; e = dtls.pollEvent()) {
      if (e.type === 'connected') {
        this.info = e.info;
        this.keySrtp(e.info);
        this.setState('connected');
      } else if (e.type === 'failed') {
        this.setState('failed');
        this.events.push({ type: 'failed', reason: e.error.message });
      } else if (e.type === 'closed') {
        this.setState('closed');
      } else if (e.type === 'alert') {
        this.options.logger.debug('dtls alert', { name: e.name, sent: e.sent, level: e.level });
      }
    }
  }

  private keySrtp(info: DtlsConnectionInfo): void {
    const profile = info.srtpProfile;
    if (!profile) {
      this.setState('failed');
      this.events.push({ type: 'failed', reason: 'DTLS connected without a DTLS-SRTP profile' });
      return;
    }
    const srtpProfile: SrtpProfileInfo | undefined = Object.values(SRTP_PROFILES).find((p) => p.id === profile.id);
    if (!srtpProfile) {
      this.setState('failed');
      this.events.push({ type: 'failed', reason: `unsupported DTLS-SRTP profile ${profile.name}` });
      return;
    }
    // RFC 5764 §4.2: the keying block is exported with the label EXTRACTOR-dtls_srtp.
    const material = (this.dtls as DtlsConnection).exportKeyingMaterial(
      'EXTRACTOR-dtls_srtp',
      keyingMaterialLength(srtpProfile),
    );
    this.srtp = srtpSessionFromKeyingMaterial(srtpProfile, material, info.role, { replayWindowSize: 512 });
    this.events.push({ type: 'srtp-ready', info });
  }

  private setState(state: DtlsState): void {
    if (state === this.state) return;
    this.state = state;
    this.events.push({ type: 'dtls-state', state });
  }
}
