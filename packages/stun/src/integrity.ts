import { createHash, createHmac } from 'node:crypto';
import { type ByteWriter, timingSafeEqualBytes } from '@rtcwire/common';
import { AttrType, FINGERPRINT_XOR, MAGIC_COOKIE, STUN_HEADER_LENGTH } from './constants.js';
import { crc32 } from './crc32.js';
import { saslPrep } from './saslprep.js';

/** HMAC used for the integrity attribute: SHA-1 → MESSAGE-INTEGRITY, SHA-256 → MESSAGE-INTEGRITY-SHA256. */
export type IntegrityAlgorithm = 'sha1' | 'sha256';
/** Hash for the long-term key (RFC 8489 §18.5.1: MD5 = 0x0001, SHA-256 = 0x0002). */
export type KeyAlgorithm = 'md5' | 'sha256';

const encoder = new TextEncoder();

/** RFC 8489 §9.1.1: short-term key = OpaqueString(password); we apply SASLprep (RFC 4013), as RFC 5389 did. */
export function shortTermKey(password: string): Uint8Array {
  return encoder.encode(saslPrep(password));
}

/**
 * RFC 8489 §9.2.2: long-term key = MD5 or SHA-256 of `username ":" realm ":" password`
 * (realm and password prepared; username as given, since USERNAME is already prepared on the wire).
 */
export function longTermKey(
  username: string,
  realm: string,
  password: string,
  algorithm: KeyAlgorithm = 'md5',
): Uint8Array {
  const h = createHash(algorithm === 'md5' ? 'md5' : 'sha256');
  h.update(encoder.encode(`${username}:${saslPrep(realm)}:${saslPrep(password)}`));
  return new Uint8Array(h.digest());
}

function hmac(alg: IntegrityAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(alg, key).update(data).digest());
}

/** Append MESSAGE-INTEGRITY(-SHA256) to a message whose header length already covers what was written. */
export function appendIntegrity(w: ByteWriter, key: Uint8Array, alg: IntegrityAlgorithm): void {
  const macLen = alg === 'sha1' ? 20 : 32;
  // RFC 8489 §14.5: the length field counts up to and including the integrity attribute.
  w.patchUint(2, 2, w.length - STUN_HEADER_LENGTH + 4 + macLen);
  const mac = hmac(alg, key, w.finish());
  w.u16(alg === 'sha1' ? AttrType.MESSAGE_INTEGRITY : AttrType.MESSAGE_INTEGRITY_SHA256)
    .u16(macLen)
    .bytes(mac);
}

/** Append FINGERPRINT (RFC 8489 §14.7): CRC-32 of everything before it, length including it, XOR 0x5354554e. */
export function appendFingerprint(w: ByteWriter): void {
  w.patchUint(2, 2, w.length - STUN_HEADER_LENGTH + 8);
  const crc = (crc32(w.finish()) ^ FINGERPRINT_XOR) >>> 0;
  w.u16(AttrType.FINGERPRINT).u16(4).u32(crc);
}

interface Located {
  /** Offset of the attribute header. */
  readonly at: number;
  readonly length: number;
}

/** Walk raw attribute headers (no allocation) and find the first attribute of `type`. */
function locate(raw: Uint8Array, type: number): Located | undefined {
  if (raw.byteLength < STUN_HEADER_LENGTH) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (view.getUint32(4) !== MAGIC_COOKIE) return undefined;
  const end = Math.min(raw.byteLength, STUN_HEADER_LENGTH + view.getUint16(2));
  let at = STUN_HEADER_LENGTH;
  while (at + 4 <= end) {
    const t = view.getUint16(at);
    const len = view.getUint16(at + 2);
    if (at + 4 + len > end) return undefined;
    if (t === type) return { at, length: len };
    at += 4 + ((len + 3) & ~3);
  }
  return undefined;
}

/**
 * Check MESSAGE-INTEGRITY (`sha1`) or MESSAGE-INTEGRITY-SHA256 (`sha256`) of raw message bytes.
 * Without `algorithm`, uses MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY.
 * Returns false when the attribute is missing or wrong (RFC 8489 §14.5, §14.6; constant-time compare).
 */
export function verifyIntegrity(raw: Uint8Array, key: Uint8Array, algorithm?: IntegrityAlgorithm): boolean {
  let alg = algorithm;
  let loc: Located | undefined;
  if (alg === undefined) {
    loc = locate(raw, AttrType.MESSAGE_INTEGRITY_SHA256);
    alg = loc ? 'sha256' : 'sha1';
    loc ??= locate(raw, AttrType.MESSAGE_INTEGRITY);
  } else {
    loc = locate(raw, alg === 'sha1' ? AttrType.MESSAGE_INTEGRITY : AttrType.MESSAGE_INTEGRITY_SHA256);
  }
  if (!loc) return false;
  // §14.6: MESSAGE-INTEGRITY-SHA256 may be truncated to 16..32 bytes in multiples of 4.
  if (alg === 'sha1' ? loc.length !== 20 : loc.length < 16 || loc.length > 32 || loc.length % 4 !== 0) return false;
  const covered = raw.slice(0, loc.at);
  const adjusted = loc.at - STUN_HEADER_LENGTH + 4 + loc.length;
  covered[2] = adjusted >> 8;
  covered[3] = adjusted & 0xff;
  const mac = hmac(alg, key, covered).subarray(0, loc.length);
  return timingSafeEqualBytes(mac, raw.subarray(loc.at + 4, loc.at + 4 + loc.length));
}

/** True when the message ends with a correct FINGERPRINT attribute (RFC 8489 §14.7). */
export function verifyFingerprint(raw: Uint8Array): boolean {
  const loc = locate(raw, AttrType.FINGERPRINT);
  if (loc?.length !== 4 || loc.at + 8 !== raw.byteLength) return false;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const expected = (crc32(raw.subarray(0, loc.at)) ^ FINGERPRINT_XOR) >>> 0;
  return view.getUint32(loc.at + 4) === expected;
}

/** True when the raw message carries a FINGERPRINT attribute at all. */
export function hasFingerprint(raw: Uint8Array): boolean {
  return locate(raw, AttrType.FINGERPRINT) !== undefined;
}
