import { InvalidArgumentError, isParseError, timingSafeEqualBytes } from '@rtcwire/common';
import { AlertDescription, FatalAlert } from './alert.js';
import type { CipherSuite } from './cipher-suites.js';
import { type DtlsBaseOptions, DtlsConnection } from './connection.js';
import { DTLS_1_0, DTLS_1_2, HandshakeType } from './constants.js';
import { computeCookie, verifyCookie } from './cookie.js';
import { type EphemeralKey, type GroupName, generateEphemeralKey, groupName } from './ecdhe.js';
import type { FlightItem } from './flight.js';
import {
  ClientCertificateType,
  decodeCertificate,
  decodeCertificateVerify,
  decodeFinished,
  encodeCertificate,
  encodeCertificateRequest,
} from './handshake/certificate-messages.js';
import {
  type Extension,
  encodeEcPointFormats,
  encodeExtendedMasterSecret,
  encodeRenegotiationInfo,
  encodeUseSrtp,
} from './handshake/extensions.js';
import { type HandshakeFragment, encodeHandshakeMessage } from './handshake/header.js';
import { type ClientHello, decodeClientHello, encodeHelloVerifyRequest, encodeServerHello } from './handshake/hello.js';
import {
  decodeClientKeyExchange,
  encodeEcdheParams,
  encodeServerKeyExchange,
} from './handshake/key-exchange-messages.js';
import type { HandshakeMessage } from './handshake/reassembler.js';
import { deriveSession, finishedVerifyData } from './key-schedule.js';
import { resolveGroups, resolveSuites } from './options.js';
import { type VerifiedPeer, checkPeerCertificate, rejectAllVerifier, requireValidSignature } from './peer-auth.js';
import { pskPreMasterSecret } from './prf.js';
import { writeRecord } from './record.js';
import { type ServerChoice, negotiate } from './server-negotiation.js';
import { DEFAULT_SIGNATURE_SCHEMES, signWithScheme } from './signature.js';
import { DEFAULT_SRTP_PROFILES, srtpProfileById } from './srtp-profiles.js';
import type { DtlsCredential, PeerVerifier, PskKeyLookup } from './types.js';
import { ContentType, RECORD_HEADER_LENGTH } from './constants.js';

export interface DtlsServerOptions extends DtlsBaseOptions {
  /** Certificate + key for the ECDHE suites. */
  readonly credential?: DtlsCredential;
  /** Checks client certificates. Default: reject every certificate. */
  readonly verifyPeer?: PeerVerifier;
  /** Ask for a client certificate: 'request' (optional) or 'require' (default 'none'). */
  readonly clientAuth?: 'none' | 'request' | 'require';
  /** PSK key lookup by identity; enables the PSK suites. */
  readonly pskLookup?: PskKeyLookup;
  /** Sent in a PSK ServerKeyExchange when set (RFC 4279 §2). */
  readonly pskIdentityHint?: Uint8Array;
  /** Suite names in the server's preference order; default: all usable with the configured credentials. */
  readonly cipherSuites?: readonly string[];
  readonly groups?: readonly GroupName[];
  /** SRTP profiles in the server's preference order (default: GCM first, then AES-CM). */
  readonly srtpProfiles?: readonly number[];
  /** HelloVerifyRequest cookie exchange (default true). */
  readonly cookie?: boolean;
  /** HMAC secret for cookies (default: 32 random bytes). */
  readonly cookieSecret?: Uint8Array;
  /** Bound into the cookie, e.g. the client's transport address bytes. */
  readonly cookieContext?: Uint8Array;
  readonly requireExtendedMasterSecret?: boolean;
}

type Phase = 'listen' | 'client_flight' | 'done';

/**
 * DTLS 1.2 server (RFC 6347 §4.2.4 flights 2/4/6) for one client. Until a ClientHello with a valid
 * cookie arrives it keeps no handshake state: the HelloVerifyRequest is computed from the hello.
 */
export class DtlsServer extends DtlsConnection {
  private readonly options: DtlsServerOptions;
  private readonly suites: CipherSuite[];
  private readonly groups: number[];
  private readonly verifier: PeerVerifier;
  private readonly cookieSecret: Uint8Array;
  private phase: Phase = 'listen';
  private choice: ServerChoice | undefined;
  private clientRandom: Uint8Array = new Uint8Array(32);
  private serverRandom: Uint8Array = new Uint8Array(32);
  private ephemeral: EphemeralKey | undefined;
  private certificateRequested = false;
  private clientCertificateSeen = false;
  private peer: VerifiedPeer | undefined;
  private keyExchangeSeen = false;
  private certificateVerified = false;
  private pskIdentity: Uint8Array | undefined;

  constructor(options: DtlsServerOptions = {}) {
    super('server', options);
    this.options = options;
    const cred = options.credential;
    const usable = (s: CipherSuite): boolean =>
      s.keyExchange === 'psk'
        ? options.pskLookup !== undefined
        : cred !== undefined && (s.keyExchange === 'ecdhe_ecdsa') === (cred.privateKey.asymmetricKeyType === 'ec');
    this.suites = resolveSuites(options.cipherSuites, usable);
    if (this.suites.length === 0)
      throw new InvalidArgumentError('no usable cipher suites (need a credential or pskLookup)');
    this.groups = resolveGroups(options.groups);
    this.verifier = options.verifyPeer ?? rejectAllVerifier;
    this.cookieSecret = options.cookieSecret ?? this.random.bytes(32);
    this.stateValue = 'handshaking';
  }

  /** Stateless ClientHello handling before the cookie round trip (RFC 6347 §4.2.1). */
  protected override onListenFragment(now: number, f: HandshakeFragment, recordSeq: number): boolean {
    if (this.phase !== 'listen') return false;
    if (f.msgType !== HandshakeType.client_hello) {
      this.drops.add('unexpected_before_hello');
      return true;
    }
    // A ClientHello larger than one datagram (e.g. with DTLS 1.3 key shares) needs reassembly.
    if (this.reassembler.nextSeq !== f.messageSeq) this.reassembler.reset(f.messageSeq);
    this.reassembler.add(f);
    const m = this.reassembler.pop();
    if (!m) return true;
    let hello: ClientHello;
    try {
      hello = decodeClientHello(m.body);
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add('malformed_client_hello');
      this.reassembler.reset(f.messageSeq);
      return true;
    }
    const context = this.options.cookieContext;
    if (this.options.cookie !== false && !verifyCookie(this.cookieSecret, hello, context)) {
      this.reassembler.reset(m.messageSeq + 1);
      this.sendHelloVerifyRequest(computeCookie(this.cookieSecret, hello, context), m.messageSeq, recordSeq);
      return true;
    }
    // RFC 6347 §4.2.2: our message_seq follows the client's; OpenSSL also continues its record numbers.
    this.nextSendSeq = m.messageSeq;
    this.setWriteSequence(0, recordSeq);
    this.phase = 'client_flight';
    this.hashMessage(m.msgType, m.messageSeq, m.body);
    try {
      this.sendServerFlight(now, hello);
    } catch (err) {
      if (err instanceof FatalAlert) this.abortWithAlert(err);
      else if (isParseError(err)) this.abortWithAlert(new FatalAlert(AlertDescription.decode_error, err.message));
      else throw err;
    }
    return true;
  }

  private sendHelloVerifyRequest(cookie: Uint8Array, messageSeq: number, recordSeq: number): void {
    // RFC 6347 §4.2.1: version DTLS 1.0, same message_seq and record sequence as the ClientHello.
    const msg = encodeHandshakeMessage(
      HandshakeType.hello_verify_request,
      messageSeq,
      encodeHelloVerifyRequest({ serverVersion: DTLS_1_0, cookie }),
    );
    const out = new Uint8Array(RECORD_HEADER_LENGTH + msg.byteLength);
    writeRecord(out, 0, ContentType.handshake, DTLS_1_0, 0, recordSeq, msg);
    this.queueDatagram(out);
  }

  /** Flight 4: ServerHello [Certificate] [ServerKeyExchange] [CertificateRequest] ServerHelloDone. */
  private sendServerFlight(now: number, hello: ClientHello): void {
    const choice = negotiate(hello, {
      suites: this.suites,
      groups: this.groups,
      srtpProfiles: this.options.srtpProfiles ?? DEFAULT_SRTP_PROFILES,
      credential: this.options.credential,
      pskEnabled: this.options.pskLookup !== undefined,
      requireExtendedMasterSecret: this.options.requireExtendedMasterSecret !== false,
    });
    this.choice = choice;
    this.clientRandom = hello.random.slice();
    this.serverRandom = this.random.bytes(32);
    const ext: Extension[] = [];
    if (choice.extendedMasterSecret) ext.push(encodeExtendedMasterSecret());
    if (choice.secureRenegotiation) ext.push(encodeRenegotiationInfo());
    if (choice.group !== undefined && choice.clientOfferedPointFormats) ext.push(encodeEcPointFormats());
    if (choice.srtpProfile !== undefined)
      ext.push(encodeUseSrtp({ profiles: [choice.srtpProfile], mki: new Uint8Array(0) }));
    const items: FlightItem[] = [
      this.handshakeItem(
        HandshakeType.server_hello,
        encodeServerHello({
          serverVersion: DTLS_1_2,
          random: this.serverRandom,
          sessionId: new Uint8Array(0),
          cipherSuite: choice.suite.id,
          compressionMethod: 0,
          extensions: ext,
        }),
      ),
    ];
    const cred = this.options.credential;
    if (
      choice.suite.keyExchange !== 'psk' &&
      cred &&
      choice.group !== undefined &&
      choice.signatureScheme !== undefined
    ) {
      items.push(this.handshakeItem(HandshakeType.certificate, encodeCertificate(cred.certificateChain)));
      this.ephemeral = generateEphemeralKey(choice.group, this.random);
      const params = encodeEcdheParams({ group: choice.group, publicKey: this.ephemeral.publicKey });
      const signed = new Uint8Array(64 + params.byteLength);
      signed.set(this.clientRandom, 0);
      signed.set(this.serverRandom, 32);
      signed.set(params, 64);
      const signature = signWithScheme(choice.signatureScheme, cred.privateKey, signed);
      const ske = encodeServerKeyExchange({
        kind: 'ecdhe',
        group: choice.group,
        publicKey: this.ephemeral.publicKey,
        algorithm: choice.signatureScheme,
        signature,
      });
      items.push(this.handshakeItem(HandshakeType.server_key_exchange, ske));
      if ((this.options.clientAuth ?? 'none') !== 'none') {
        this.certificateRequested = true;
        const req = encodeCertificateRequest({
          certificateTypes: [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
          signatureAlgorithms: DEFAULT_SIGNATURE_SCHEMES,
          certificateAuthorities: [],
        });
        items.push(this.handshakeItem(HandshakeType.certificate_request, req));
      }
    } else if (choice.suite.keyExchange === 'psk' && this.options.pskIdentityHint) {
      items.push(
        this.handshakeItem(
          HandshakeType.server_key_exchange,
          encodeServerKeyExchange({ kind: 'psk', identityHint: this.options.pskIdentityHint }),
        ),
      );
    }
    items.push(this.handshakeItem(HandshakeType.server_hello_done, new Uint8Array(0)));
    this.startFlight(now, items, false);
  }

  protected override onHandshakeMessage(now: number, m: HandshakeMessage): void {
    if (this.phase === 'done') {
      // RFC 5746 §4.4 spirit: renegotiation is refused with a warning.
      if (m.msgType === HandshakeType.client_hello) this.sendAlert(1, AlertDescription.no_renegotiation);
      return;
    }
    if (this.phase !== 'client_flight') return;
    const expectCert = this.certificateRequested && !this.clientCertificateSeen;
    switch (m.msgType) {
      case HandshakeType.certificate:
        if (!this.certificateRequested || this.clientCertificateSeen) break;
        this.hashMessage(m.msgType, m.messageSeq, m.body);
        this.onClientCertificate(m.body);
        return;
      case HandshakeType.client_key_exchange:
        if (expectCert || this.keyExchangeSeen) break;
        this.onClientKeyExchange(now, m);
        return;
      case HandshakeType.certificate_verify:
        if (!this.keyExchangeSeen || !this.peer || this.certificateVerified) break;
        this.onCertificateVerify(m);
        return;
      case HandshakeType.finished:
        if (!this.keyExchangeSeen || (this.peer && !this.certificateVerified)) break;
        this.onClientFinished(now, m);
        return;
    }
    throw new FatalAlert(AlertDescription.unexpected_message, `unexpected handshake type ${m.msgType}`);
  }

  private onClientCertificate(body: Uint8Array): void {
    this.clientCertificateSeen = true;
    const chain = decodeCertificate(body);
    if (chain.length === 0) {
      if (this.options.clientAuth === 'require')
        throw new FatalAlert(AlertDescription.handshake_failure, 'client certificate required');
      return;
    }
    this.peer = checkPeerCertificate(chain, this.verifier, 'any');
  }

  private onClientKeyExchange(now: number, m: HandshakeMessage): void {
    const choice = this.choice;
    if (!choice) return;
    this.keyExchangeSeen = true;
    let preMaster: Uint8Array;
    if (choice.suite.keyExchange === 'psk') {
      const cke = decodeClientKeyExchange(m.body, 'psk');
      if (cke.kind !== 'psk') return;
      const key = this.options.pskLookup?.(cke.identity);
      if (!key) throw new FatalAlert(AlertDescription.unknown_psk_identity, 'unknown PSK identity');
      this.pskIdentity = cke.identity.slice();
      preMaster = pskPreMasterSecret(key);
    } else {
      const cke = decodeClientKeyExchange(m.body, 'ecdhe');
      if (cke.kind !== 'ecdhe' || !this.ephemeral) return;
      preMaster = this.ephemeral.deriveSecret(cke.publicKey);
    }
    this.hashMessage(m.msgType, m.messageSeq, m.body);
    this.session = deriveSession(
      choice.suite,
      preMaster,
      this.clientRandom,
      this.serverRandom,
      this.transcript,
      choice.extendedMasterSecret,
    );
    this.installWriteKeys(1, this.session.keys.server);
    // Last: this may replay early epoch-1 records (the client's Finished) through the handshake.
    this.installReadKeys(now, 1, this.session.keys.client);
  }

  private onCertificateVerify(m: HandshakeMessage): void {
    if (!this.peer) return;
    const cv = decodeCertificateVerify(m.body);
    // RFC 5246 §7.4.8: signed over all handshake messages so far.
    requireValidSignature(cv.algorithm, this.peer.publicKey, this.transcript, cv.signature);
    this.certificateVerified = true;
    this.hashMessage(m.msgType, m.messageSeq, m.body);
  }

  /** Verify the client Finished, then send flight 6: ChangeCipherSpec Finished. */
  private onClientFinished(now: number, m: HandshakeMessage): void {
    const session = this.session;
    const choice = this.choice;
    if (!session || !choice) return;
    const expected = finishedVerifyData(session, true, this.transcript);
    if (!timingSafeEqualBytes(decodeFinished(m.body), expected))
      throw new FatalAlert(AlertDescription.decrypt_error, 'client Finished mismatch');
    this.hashMessage(m.msgType, m.messageSeq, m.body);
    const items: FlightItem[] = [{ kind: 'ccs', epoch: 0 }];
    this.writeEpoch = 1;
    items.push(this.handshakeItem(HandshakeType.finished, finishedVerifyData(session, false, this.transcript)));
    this.phase = 'done';
    this.startFlight(now, items, true);
    const group = choice.group === undefined ? undefined : groupName(choice.group);
    const profile = choice.srtpProfile === undefined ? undefined : srtpProfileById(choice.srtpProfile);
    this.markConnected({
      role: 'server',
      cipherSuite: choice.suite.name,
      cipherSuiteId: choice.suite.id,
      ...(group ? { group } : {}),
      ...(profile ? { srtpProfile: { id: profile.id, name: profile.name } } : {}),
      peerCertificateChain: this.peer?.chain ?? [],
      ...(this.peer?.result.fingerprint !== undefined ? { peerFingerprint: this.peer.result.fingerprint } : {}),
      ...(this.peer?.result.subject !== undefined ? { peerSubject: this.peer.result.subject } : {}),
      ...(this.pskIdentity ? { pskIdentity: this.pskIdentity } : {}),
      extendedMasterSecret: choice.extendedMasterSecret,
      ...(choice.signatureScheme !== undefined ? { signatureScheme: choice.signatureScheme } : {}),
    });
  }
}
