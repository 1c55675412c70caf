import type { KeyObject } from 'node:crypto';
import { InvalidArgumentError, InvalidStateError } from '@rtcwire/common';
import { AlertDescription, FatalAlert } from './alert.js';
import { type CipherSuite, cipherSuiteById } from './cipher-suites.js';
import { type DtlsBaseOptions, DtlsConnection } from './connection.js';
import { DTLS_1_2, ExtensionType, HandshakeType } from './constants.js';
import { type EphemeralKey, type GroupName, generateEphemeralKey, groupName } from './ecdhe.js';
import type { FlightItem } from './flight.js';
import {
  type CertificateRequest,
  decodeCertificate,
  decodeCertificateRequest,
  decodeFinished,
  encodeCertificate,
  encodeCertificateVerify,
} from './handshake/certificate-messages.js';
import {
  type Extension,
  decodeRenegotiationInfo,
  decodeUseSrtp,
  encodeEcPointFormats,
  encodeExtendedMasterSecret,
  encodeRenegotiationInfo,
  encodeSignatureAlgorithms,
  encodeSupportedGroups,
  encodeUseSrtp,
  findExtension,
} from './handshake/extensions.js';
import { type ClientHello, decodeHelloVerifyRequest, decodeServerHello, encodeClientHello } from './handshake/hello.js';
import {
  decodeServerKeyExchange,
  ecdheParamsBytes,
  encodeClientKeyExchange,
} from './handshake/key-exchange-messages.js';
import type { HandshakeMessage } from './handshake/reassembler.js';
import { deriveSession, finishedVerifyData, transcriptBytes } from './key-schedule.js';
import { resolveGroups, resolveSuites } from './options.js';
import { type VerifiedPeer, checkPeerCertificate, rejectAllVerifier, requireValidSignature } from './peer-auth.js';
import { pskPreMasterSecret } from './prf.js';
import { DEFAULT_SIGNATURE_SCHEMES, chooseSignatureScheme, signWithScheme } from './signature.js';
import { srtpProfileById } from './srtp-profiles.js';
import type { DtlsCredential, PeerVerifier, PskClientCredential } from './types.js';
import { timingSafeEqualBytes } from '@rtcwire/common';

export interface DtlsClientOptions extends DtlsBaseOptions {
  /** Certificate + key, sent when the server asks for client authentication. */
  readonly credential?: DtlsCredential;
  /** Checks the server's chain (fingerprint or PKI). Default: reject every certificate. */
  readonly verifyPeer?: PeerVerifier;
  /** Identity and key for PSK suites. */
  readonly psk?: PskClientCredential;
  /** Suite names in preference order. Default: the PSK suites with `psk`, else the ECDHE suites. */
  readonly cipherSuites?: readonly string[];
  readonly groups?: readonly GroupName[];
  /** DTLS-SRTP profiles to offer (RFC 5764); default: none (no use_srtp extension). */
  readonly srtpProfiles?: readonly number[];
  /** Refuse servers without RFC 7627 extended master secret (default true). */
  readonly requireExtendedMasterSecret?: boolean;
}

type Phase = 'idle' | 'hello' | 'server_flight' | 'finished' | 'done';

/**
 * DTLS 1.2 client (RFC 6347 §4.2.4 flights 1/3/5). `start(now)` queues the ClientHello at once;
 * a driver that just follows `pollTimeout()` gets the same effect, since an unstarted client
 * reports itself due immediately and `handleTimeout(now)` starts it.
 */
export class DtlsClient extends DtlsConnection {
  private readonly options: DtlsClientOptions;
  private readonly suites: CipherSuite[];
  private readonly groups: number[];
  private readonly verifier: PeerVerifier;
  private phase: Phase = 'idle';
  private clientRandom: Uint8Array = new Uint8Array(32);
  private hello: ClientHello | undefined;
  private suite: CipherSuite | undefined;
  private serverRandom: Uint8Array = new Uint8Array(32);
  private ems = false;
  private srtpProfile: number | undefined;
  private peer: VerifiedPeer | undefined;
  private ephemeral: EphemeralKey | undefined;
  private serverPublic: Uint8Array | undefined;
  private serverKeyExchangeSeen = false;
  private certificateRequest: CertificateRequest | undefined;
  private signatureScheme: number | undefined;

  constructor(options: DtlsClientOptions = {}) {
    super('client', options);
    this.options = options;
    const psk = options.psk !== undefined;
    this.suites = resolveSuites(options.cipherSuites, (s) => (psk ? s.keyExchange === 'psk' : s.keyExchange !== 'psk'));
    if (this.suites.length === 0) throw new InvalidArgumentError('no cipher suites');
    if (this.suites.some((s) => s.keyExchange === 'psk') && !psk)
      throw new InvalidArgumentError('PSK suites need options.psk');
    this.groups = resolveGroups(options.groups);
    this.verifier = options.verifyPeer ?? rejectAllVerifier;
  }

  /** Begin the handshake: queue flight 1 (ClientHello) and arm its retransmission timer. */
  start(now: number): void {
    if (this.phase !== 'idle') throw new InvalidStateError('handshake already started');
    this.stateValue = 'handshaking';
    this.phase = 'hello';
    this.clientRandom = this.random.bytes(32);
    this.hello = {
      clientVersion: DTLS_1_2,
      random: this.clientRandom,
      sessionId: new Uint8Array(0),
      cookie: new Uint8Array(0),
      cipherSuites: this.suites.map((s) => s.id),
      compressionMethods: [0],
      extensions: this.helloExtensions(),
    };
    this.sendHello(now);
  }

  override handleTimeout(now: number): void {
    if (this.phase === 'idle') this.start(now);
    else super.handleTimeout(now);
  }

  /** Before `start`, a client is due at once (0), so a driver's first timer starts the handshake. */
  override pollTimeout(): number | undefined {
    return this.phase === 'idle' ? 0 : super.pollTimeout();
  }

  private helloExtensions(): Extension[] {
    const ext: Extension[] = [];
    if (this.suites.some((s) => s.keyExchange !== 'psk')) {
      ext.push(
        encodeSupportedGroups(this.groups),
        encodeEcPointFormats(),
        encodeSignatureAlgorithms(DEFAULT_SIGNATURE_SCHEMES),
      );
    }
    if (this.options.srtpProfiles && this.options.srtpProfiles.length > 0) {
      ext.push(encodeUseSrtp({ profiles: this.options.srtpProfiles, mki: new Uint8Array(0) }));
    }
    ext.push(encodeExtendedMasterSecret(), encodeRenegotiationInfo());
    return ext;
  }

  private sendHello(now: number): void {
    if (!this.hello) return;
    this.startFlight(now, [this.handshakeItem(HandshakeType.client_hello, encodeClientHello(this.hello))], false);
  }

  protected override onHandshakeMessage(now: number, m: HandshakeMessage): void {
    if (this.phase === 'hello' && m.msgType === HandshakeType.hello_verify_request) {
      // RFC 6347 §4.2.1: resend the ClientHello with the cookie; neither message enters the transcript.
      const hvr = decodeHelloVerifyRequest(m.body);
      if (!this.hello) return;
      this.hello = { ...this.hello, cookie: hvr.cookie };
      this.transcript = [];
      this.sendHello(now);
      return;
    }
    if (this.phase === 'done') {
      if (m.msgType === HandshakeType.hello_request) this.sendAlert(1, AlertDescription.no_renegotiation);
      return;
    }
    if (m.msgType === HandshakeType.hello_request) return; // RFC 5246 §7.4.1.1: ignore during a handshake
    this.hashMessage(m.msgType, m.messageSeq, m.body);
    switch (m.msgType) {
      case HandshakeType.server_hello:
        this.expect(this.phase === 'hello', () => this.onServerHello(m.body));
        return;
      case HandshakeType.certificate:
        this.expect(this.phase === 'server_flight' && !this.isPsk() && !this.peer, () => this.onCertificate(m.body));
        return;
      case HandshakeType.server_key_exchange:
        this.expect(
          this.phase === 'server_flight' && !this.serverKeyExchangeSeen && (this.isPsk() || this.peer !== undefined),
          () => this.onServerKeyExchange(m.body),
        );
        return;
      case HandshakeType.certificate_request:
        this.expect(
          this.phase === 'server_flight' && !this.isPsk() && this.serverKeyExchangeSeen && !this.certificateRequest,
          () => {
            this.certificateRequest = decodeCertificateRequest(m.body);
          },
        );
        return;
      case HandshakeType.server_hello_done:
        this.expect(this.phase === 'server_flight' && (this.isPsk() || this.serverKeyExchangeSeen), () =>
          this.sendKeyExchangeFlight(now),
        );
        return;
      case HandshakeType.finished:
        this.expect(this.phase === 'finished', () => this.onServerFinished(m.body));
        return;
      default:
        throw new FatalAlert(AlertDescription.unexpected_message, `unexpected handshake type ${m.msgType}`);
    }
  }

  private expect(ok: boolean, then: () => void): void {
    if (!ok)
      throw new FatalAlert(
        AlertDescription.unexpected_message,
        `handshake message out of order in phase ${this.phase}`,
      );
    then();
  }

  private isPsk(): boolean {
    return this.suite?.keyExchange === 'psk';
  }

  private onServerHello(body: Uint8Array): void {
    const sh = decodeServerHello(body);
    if (sh.serverVersion !== DTLS_1_2)
      throw new FatalAlert(AlertDescription.protocol_version, `server chose 0x${sh.serverVersion.toString(16)}`);
    const suite = cipherSuiteById(sh.cipherSuite);
    if (!suite || !this.suites.includes(suite))
      throw new FatalAlert(AlertDescription.illegal_parameter, 'server chose a suite we did not offer');
    if (sh.compressionMethod !== 0)
      throw new FatalAlert(AlertDescription.illegal_parameter, 'compression is not supported');
    this.suite = suite;
    this.serverRandom = sh.random.slice();
    this.ems = findExtension(sh.extensions, ExtensionType.extended_master_secret) !== undefined;
    if (!this.ems && this.options.requireExtendedMasterSecret !== false) {
      throw new FatalAlert(AlertDescription.handshake_failure, 'server does not support extended master secret');
    }
    const reneg = findExtension(sh.extensions, ExtensionType.renegotiation_info);
    if (reneg && decodeRenegotiationInfo(reneg.data).byteLength !== 0) {
      throw new FatalAlert(AlertDescription.handshake_failure, 'non-empty renegotiation_info'); // RFC 5746 §3.4
    }
    const srtp = findExtension(sh.extensions, ExtensionType.use_srtp);
    if (srtp) {
      const { profiles } = decodeUseSrtp(srtp.data);
      const chosen = profiles[0];
      if (profiles.length !== 1 || chosen === undefined || !this.options.srtpProfiles?.includes(chosen)) {
        throw new FatalAlert(AlertDescription.illegal_parameter, 'server chose an SRTP profile we did not offer');
      }
      this.srtpProfile = chosen;
    }
    this.phase = 'server_flight';
  }

  private onCertificate(body: Uint8Array): void {
    const keyType = this.suite?.keyExchange === 'ecdhe_rsa' ? 'rsa' : 'ec';
    this.peer = checkPeerCertificate(decodeCertificate(body), this.verifier, keyType);
  }

  private onServerKeyExchange(body: Uint8Array): void {
    this.serverKeyExchangeSeen = true;
    if (this.isPsk()) {
      decodeServerKeyExchange(body, 'psk'); // identity hint: informational only
      return;
    }
    const ske = decodeServerKeyExchange(body, 'ecdhe');
    if (ske.kind !== 'ecdhe' || !this.peer) return;
    if (!this.groups.includes(ske.group))
      throw new FatalAlert(AlertDescription.illegal_parameter, `server chose group ${ske.group}`);
    // RFC 8422 §5.4: signed over client_random + server_random + ServerECDHParams.
    const params = ecdheParamsBytes(body);
    const signed = new Uint8Array(64 + params.byteLength);
    signed.set(this.clientRandom, 0);
    signed.set(this.serverRandom, 32);
    signed.set(params, 64);
    requireValidSignature(ske.algorithm, this.peer.publicKey, signed, ske.signature);
    this.serverPublic = ske.publicKey.slice();
    this.ephemeral = generateEphemeralKey(ske.group, this.random);
  }

  /** Flight 5: [Certificate] ClientKeyExchange [CertificateVerify] ChangeCipherSpec Finished. */
  private sendKeyExchangeFlight(now: number): void {
    const suite = this.suite;
    if (!suite) return;
    const items: FlightItem[] = [];
    let signingKey: KeyObject | undefined;
    if (this.certificateRequest) {
      const cred = this.options.credential;
      const scheme = cred
        ? chooseSignatureScheme(cred.privateKey, this.certificateRequest.signatureAlgorithms)
        : undefined;
      if (cred && scheme !== undefined) {
        signingKey = cred.privateKey;
        this.signatureScheme = scheme;
      }
      items.push(
        this.handshakeItem(
          HandshakeType.certificate,
          encodeCertificate(signingKey && cred ? cred.certificateChain : []),
        ),
      );
    }
    let preMaster: Uint8Array;
    if (suite.keyExchange === 'psk') {
      const psk = this.options.psk;
      if (!psk) throw new FatalAlert(AlertDescription.internal_error, 'no PSK');
      preMaster = pskPreMasterSecret(psk.key);
      items.push(
        this.handshakeItem(
          HandshakeType.client_key_exchange,
          encodeClientKeyExchange({ kind: 'psk', identity: psk.identity }),
        ),
      );
    } else {
      if (!this.ephemeral || !this.serverPublic)
        throw new FatalAlert(AlertDescription.unexpected_message, 'no ServerKeyExchange');
      preMaster = this.ephemeral.deriveSecret(this.serverPublic);
      items.push(
        this.handshakeItem(
          HandshakeType.client_key_exchange,
          encodeClientKeyExchange({ kind: 'ecdhe', publicKey: this.ephemeral.publicKey }),
        ),
      );
    }
    const session = deriveSession(suite, preMaster, this.clientRandom, this.serverRandom, this.transcript, this.ems);
    this.session = session;
    if (signingKey && this.signatureScheme !== undefined) {
      const signature = signWithScheme(this.signatureScheme, signingKey, transcriptBytes(this.transcript));
      items.push(
        this.handshakeItem(
          HandshakeType.certificate_verify,
          encodeCertificateVerify({ algorithm: this.signatureScheme, signature }),
        ),
      );
    }
    items.push({ kind: 'ccs', epoch: 0 });
    this.installWriteKeys(1, session.keys.client);
    this.writeEpoch = 1;
    items.push(this.handshakeItem(HandshakeType.finished, finishedVerifyData(session, true, this.transcript)));
    this.phase = 'finished';
    this.startFlight(now, items, false);
    this.installReadKeys(now, 1, session.keys.server);
  }

  private onServerFinished(body: Uint8Array): void {
    const session = this.session;
    const suite = this.suite;
    if (!session || !suite) return;
    // The transcript already holds the server Finished: verify over everything before it.
    const expected = finishedVerifyData(session, false, this.transcript.slice(0, -1));
    if (!timingSafeEqualBytes(decodeFinished(body), expected))
      throw new FatalAlert(AlertDescription.decrypt_error, 'server Finished mismatch');
    this.phase = 'done';
    this.stopRetransmissions();
    const group = this.ephemeral ? groupName(this.ephemeral.group) : undefined;
    const profile = this.srtpProfile === undefined ? undefined : srtpProfileById(this.srtpProfile);
    this.markConnected({
      role: 'client',
      cipherSuite: suite.name,
      cipherSuiteId: suite.id,
      ...(group ? { group } : {}),
      ...(profile ? { srtpProfile: { id: profile.id, name: profile.name } } : {}),
      peerCertificateChain: this.peer?.chain ?? [],
      ...(this.peer?.result.fingerprint !== undefined ? { peerFingerprint: this.peer.result.fingerprint } : {}),
      ...(this.peer?.result.subject !== undefined ? { peerSubject: this.peer.result.subject } : {}),
      ...(this.options.psk ? { pskIdentity: this.options.psk.identity } : {}),
      extendedMasterSecret: this.ems,
      ...(this.signatureScheme !== undefined ? { signatureScheme: this.signatureScheme } : {}),
    });
  }
}
