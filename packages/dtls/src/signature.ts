import { type KeyObject, constants, sign, verify } from 'node:crypto';

/** SignatureScheme / SignatureAndHashAlgorithm codes (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3). */
export const SignatureScheme = {
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
} as const;

export const DEFAULT_SIGNATURE_SCHEMES: readonly number[] = [
  SignatureScheme.ecdsa_secp256r1_sha256,
  SignatureScheme.ecdsa_secp384r1_sha384,
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.rsa_pkcs1_sha256,
  SignatureScheme.rsa_pss_rsae_sha384,
  SignatureScheme.rsa_pkcs1_sha384,
];

interface SchemeInfo {
  readonly hash: 'sha256' | 'sha384';
  readonly key: 'ec' | 'rsa';
  readonly pss: boolean;
}

function info(scheme: number): SchemeInfo | undefined {
  switch (scheme) {
    case SignatureScheme.rsa_pkcs1_sha256:
      return { hash: 'sha256', key: 'rsa', pss: false };
    case SignatureScheme.rsa_pkcs1_sha384:
      return { hash: 'sha384', key: 'rsa', pss: false };
    case SignatureScheme.ecdsa_secp256r1_sha256:
      return { hash: 'sha256', key: 'ec', pss: false };
    case SignatureScheme.ecdsa_secp384r1_sha384:
      return { hash: 'sha384', key: 'ec', pss: false };
    case SignatureScheme.rsa_pss_rsae_sha256:
      return { hash: 'sha256', key: 'rsa', pss: true };
    case SignatureScheme.rsa_pss_rsae_sha384:
      return { hash: 'sha384', key: 'rsa', pss: true };
    default:
      return undefined;
  }
}

/** The key family a scheme needs ('ec' | 'rsa'), or undefined for unknown schemes. */
export function schemeKeyType(scheme: number): 'ec' | 'rsa' | undefined {
  return info(scheme)?.key;
}

/**
 * Pick the scheme to sign with: the first of our preferences for this key that the peer offered
 * (RFC 5246 §7.4.1.4.1; a peer that sent no list is treated as accepting our first choice).
 */
export function chooseSignatureScheme(key: KeyObject, peerOffered: readonly number[] | undefined): number | undefined {
  let mine: number[];
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    mine =
      curve === 'secp384r1'
        ? [SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.ecdsa_secp256r1_sha256]
        : [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384];
  } else if (key.asymmetricKeyType === 'rsa') {
    mine = [
      SignatureScheme.rsa_pss_rsae_sha256,
      SignatureScheme.rsa_pkcs1_sha256,
      SignatureScheme.rsa_pss_rsae_sha384,
      SignatureScheme.rsa_pkcs1_sha384,
    ];
  } else {
    return undefined;
  }
  if (!peerOffered) return mine[0];
  return mine.find((s) => peerOffered.includes(s));
}

function keyOptions(
  scheme: SchemeInfo,
  key: KeyObject,
): KeyObject | { key: KeyObject; padding: number; saltLength: number } {
  if (!scheme.pss) return key;
  return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.hash === 'sha256' ? 32 : 48 };
}

/** Sign `data` (ECDSA signatures are DER, as TLS carries them). */
export function signWithScheme(scheme: number, key: KeyObject, data: Uint8Array): Uint8Array {
  const s = info(scheme);
  if (!s) throw new RangeError(`unsupported signature scheme 0x${scheme.toString(16)}`);
  return sign(s.hash, data, keyOptions(s, key));
}

/** Verify; false for an unknown scheme, a key of the wrong type or a bad signature. */
export function verifyWithScheme(scheme: number, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const s = info(scheme);
  if (!s || key.asymmetricKeyType !== s.key) return false;
  try {
    return verify(s.hash, data, keyOptions(s, key), signature);
  } catch {
    return false;
  }
}
