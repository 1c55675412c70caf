import { type KeyObject, X509Certificate } from 'node:crypto';
import { AlertDescription, FatalAlert } from './alert.js';
import { transcriptBytes } from './key-schedule.js';
import { schemeKeyType, verifyWithScheme } from './signature.js';
import type { PeerVerifier, PeerVerifyResult } from './types.js';

/** Used when the application gave no verifier: refuse every certificate (secure default). */
export const rejectAllVerifier: PeerVerifier = () => ({
  ok: false,
  alert: AlertDescription.certificate_unknown,
  reason: 'no peer verifier configured',
});

export interface VerifiedPeer {
  readonly chain: readonly Uint8Array[];
  readonly publicKey: KeyObject;
  readonly result: Extract<PeerVerifyResult, { ok: true }>;
}

/**
 * Check a received certificate chain: the leaf must parse and carry a key of the expected type,
 * and the injected verifier must accept the chain; otherwise abort with the alert it names.
 */
export function checkPeerCertificate(
  chain: readonly Uint8Array[],
  verifier: PeerVerifier,
  keyType: 'ec' | 'rsa' | 'any',
): VerifiedPeer {
  const leaf = chain[0];
  if (!leaf) throw new FatalAlert(AlertDescription.bad_certificate, 'empty certificate chain');
  let publicKey: KeyObject;
  try {
    publicKey = new X509Certificate(leaf).publicKey;
  } catch {
    throw new FatalAlert(AlertDescription.bad_certificate, 'leaf certificate does not parse');
  }
  const type = publicKey.asymmetricKeyType;
  if (type !== 'ec' && type !== 'rsa')
    throw new FatalAlert(AlertDescription.unsupported_certificate, `leaf key type ${type}`);
  if (keyType !== 'any' && type !== keyType) {
    throw new FatalAlert(
      AlertDescription.unsupported_certificate,
      `cipher suite needs ${keyType} key, leaf has ${type}`,
    );
  }
  const result = verifier(chain);
  if (!result.ok) throw new FatalAlert(result.alert, `peer certificate rejected: ${result.reason}`);
  return { chain, publicKey, result };
}

/** Verify a signature made with the peer's leaf key; decrypt_error when it does not check out. */
export function requireValidSignature(
  scheme: number,
  key: KeyObject,
  data: Uint8Array | readonly Uint8Array[],
  signature: Uint8Array,
): void {
  if (schemeKeyType(scheme) !== key.asymmetricKeyType) {
    throw new FatalAlert(
      AlertDescription.illegal_parameter,
      `signature scheme 0x${scheme.toString(16)} does not fit the key`,
    );
  }
  const bytes = data instanceof Uint8Array ? data : transcriptBytes(data);
  if (!verifyWithScheme(scheme, key, bytes, signature))
    throw new FatalAlert(AlertDescription.decrypt_error, 'signature check failed');
}
