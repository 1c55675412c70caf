/**
 * SRTP key derivation (RFC 3711 §4.3) with key derivation rate 0, using the AES-CM PRF (§4.3.3).
 * AEAD profiles use the same PRF with their 96-bit salt left-aligned (RFC 7714 §11).
 */
import { createCipheriv } from 'node:crypto';
import type { SrtpProfileInfo } from './profiles.js';

/** RFC 3711 §4.3.1 key derivation labels. */
export const LABEL = {
  srtpEncryption: 0,
  srtpAuthentication: 1,
  srtpSalt: 2,
  srtcpEncryption: 3,
  srtcpAuthentication: 4,
  srtcpSalt: 5,
} as const;

/**
 * AES-CM PRF output of `length` bytes for `label` (RFC 3711 §4.3.1–§4.3.3): the keystream of
 * AES-CM(masterKey) starting at IV = (label << 48 XOR masterSalt) * 2^16, with r = index DIV KDR = 0.
 */
export function deriveKey(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Uint8Array {
  const iv = new Uint8Array(16);
  iv.set(masterSalt.subarray(0, 14));
  // key_id = label || r (48 bits of zero): the label lands at byte 7 of the 112-bit x.
  iv[7] = (iv[7] ?? 0) ^ label;
  const blocks = Math.ceil(length / 16);
  const counters = new Uint8Array(blocks * 16);
  for (let b = 0; b < blocks; b++) {
    counters.set(iv, b * 16);
    counters[b * 16 + 14] = (b >>> 8) & 0xff;
    counters[b * 16 + 15] = b & 0xff;
  }
  const algorithm = masterKey.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb';
  const ecb = createCipheriv(algorithm, masterKey, null).setAutoPadding(false);
  const out = ecb.update(counters);
  ecb.final();
  return new Uint8Array(out.subarray(0, length));
}

export interface SessionKeys {
  readonly encryptionKey: Uint8Array;
  /** Empty for AEAD profiles. */
  readonly authenticationKey: Uint8Array;
  readonly salt: Uint8Array;
}

/** Derives the SRTP (rtcp = false) or SRTCP (rtcp = true) session keys for one direction. */
export function deriveSessionKeys(
  profile: SrtpProfileInfo,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  rtcp: boolean,
): SessionKeys {
  const base = rtcp ? LABEL.srtcpEncryption : LABEL.srtpEncryption;
  return {
    encryptionKey: deriveKey(masterKey, masterSalt, base, profile.masterKeyLength),
    authenticationKey: deriveKey(masterKey, masterSalt, base + 1, profile.authKeyLength),
    salt: deriveKey(masterKey, masterSalt, base + 2, profile.masterSaltLength),
  };
}
