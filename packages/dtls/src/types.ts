/**
 * Contracts between the DTLS protocol core and its collaborators (certificate handling in
 * `src/certificate/`, the node driver, the peer). Everything here is synchronous: node:crypto's
 * X509Certificate and crypto.verify are synchronous, and the sans-IO core never awaits.
 */
import type { KeyObject } from 'node:crypto';
import type { AlertDescription } from './alert.js';

/** A local identity: certificate chain (DER, leaf first) and the leaf's private key (EC P-256/P-384 or RSA). */
export interface DtlsCredential {
  readonly certificateChain: readonly Uint8Array[];
  readonly privateKey: KeyObject;
}

/** Outcome of checking the peer's certificate chain. */
export type PeerVerifyResult =
  | { readonly ok: true; readonly fingerprint?: string; readonly subject?: string }
  | { readonly ok: false; readonly alert: AlertDescription; readonly reason: string };

/**
 * Checks the peer's certificate chain (DER, leaf first): WebRTC fingerprint mode or PKI mode.
 * Called when the Certificate message arrives, after the core checked that the leaf parses and
 * has a key type the suite allows; the core then verifies the peer's proof of possession of the
 * leaf key (ServerKeyExchange or CertificateVerify signature → decrypt_error on failure). A
 * failure aborts the handshake with the returned alert (bad_certificate, unknown_ca, …).
 */
export type PeerVerifier = (chainDer: readonly Uint8Array[]) => PeerVerifyResult;

/** Server side: look up the key for a PSK identity (RFC 4279 §2); undefined → unknown_psk_identity. */
export type PskKeyLookup = (identity: Uint8Array) => Uint8Array | undefined;

/** Client side PSK: the identity to send and its key. */
export interface PskClientCredential {
  readonly identity: Uint8Array;
  readonly key: Uint8Array;
}
