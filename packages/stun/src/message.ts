import { ByteReader, ByteWriter, ParseError, type RandomSource } from '@rtcwire/common';
import { AttrType, MAGIC_COOKIE, STUN_HEADER_LENGTH, type StunClass } from './constants.js';
import { appendFingerprint, appendIntegrity, type IntegrityAlgorithm } from './integrity.js';

/** One attribute as it sits on the wire: type and (unpadded) value. `value` is a view into the input. */
export interface StunAttribute {
  readonly type: number;
  readonly value: Uint8Array;
}

/** RFC 8489 §5: a STUN message. */
export interface StunMessage {
  readonly class: StunClass;
  readonly method: number;
  /** 12 bytes (RFC 8489 §5). */
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
}

/** A decoded message keeps its raw bytes so integrity and fingerprint can be checked later. */
export interface DecodedStunMessage extends StunMessage {
  readonly raw: Uint8Array;
}

export interface EncodeOptions {
  /** Append MESSAGE-INTEGRITY (sha1, default) or MESSAGE-INTEGRITY-SHA256 computed with `key`. */
  readonly integrity?: { readonly key: Uint8Array; readonly algorithm?: IntegrityAlgorithm };
  /** Append FINGERPRINT (RFC 8489 §14.7). */
  readonly fingerprint?: boolean;
}

const CLASS_BITS: Record<StunClass, number> = { request: 0x000, indication: 0x010, success: 0x100, error: 0x110 };

/** RFC 8489 §5: interleave the 12 method bits with the 2 class bits (M11..M7 C1 M6..M4 C0 M3..M0). */
export function stunMessageType(cls: StunClass, method: number): number {
  return ((method & 0xf80) << 2) | ((method & 0x070) << 1) | (method & 0x00f) | CLASS_BITS[cls];
}

function splitMessageType(type: number): { cls: StunClass; method: number } {
  const c = type & 0x110;
  const cls: StunClass = c === 0x000 ? 'request' : c === 0x010 ? 'indication' : c === 0x100 ? 'success' : 'error';
  const method = ((type >> 2) & 0xf80) | ((type >> 1) & 0x070) | (type & 0x00f);
  return { cls, method };
}

/**
 * Cheap check that a datagram is STUN (RFC 7983 §7 first byte 0–3, plus the RFC 8489 §5 magic
 * cookie, zero top bits and a length that is a multiple of 4 matching the buffer).
 */
export function isStunMessage(bytes: Uint8Array): boolean {
  if (bytes.byteLength < STUN_HEADER_LENGTH) return false;
  const b0 = bytes[0] as number;
  if (b0 > 3) return false;
  const len = ((bytes[2] as number) << 8) | (bytes[3] as number);
  if ((len & 3) !== 0 || len + STUN_HEADER_LENGTH !== bytes.byteLength) return false;
  return (
    bytes[4] === 0x21 && bytes[5] === 0x12 && bytes[6] === 0xa4 && bytes[7] === 0x42 // magic cookie
  );
}

/**
 * Decode a STUN message (RFC 8489 §5, §14). Attribute values are zero-copy views into `bytes`.
 * Per §14.5/§14.6, attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and
 * FINGERPRINT are ignored, and after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT is kept; nothing
 * after FINGERPRINT is kept (§14.7 says it is last). Throws ParseError on malformed input.
 */
export function decodeStunMessage(bytes: Uint8Array): DecodedStunMessage {
  const r = new ByteReader(bytes);
  const type = r.u16();
  if ((type & 0xc000) !== 0) throw new ParseError('stun_not_stun', 'top two bits must be zero', 0);
  const length = r.u16();
  if ((length & 3) !== 0) throw new ParseError('stun_bad_length', `length ${length} not a multiple of 4`, 2);
  if (r.u32() !== MAGIC_COOKIE) throw new ParseError('stun_bad_cookie', 'magic cookie mismatch', 4);
  const transactionId = r.bytes(12);
  if (length !== r.remaining) {
    throw new ParseError('stun_bad_length', `length ${length} but ${r.remaining} bytes follow the header`, 2);
  }
  const attributes: StunAttribute[] = [];
  // 0: before integrity, 1: after MI, 2: after MI-SHA256, 3: after FINGERPRINT
  let stage = 0;
  while (r.remaining > 0) {
    const at = r.offset;
    const attrType = r.u16();
    const attrLen = r.u16();
    if (attrLen > r.remaining)
      throw new ParseError('stun_bad_attribute', `attribute 0x${attrType.toString(16)} overruns`, at);
    const value = r.bytes(attrLen);
    const pad = (4 - (attrLen & 3)) & 3;
    if (pad > r.remaining) throw new ParseError('stun_bad_padding', 'attribute padding truncated', r.offset);
    r.skip(pad);
    let keep: boolean;
    if (attrType === AttrType.FINGERPRINT) {
      keep = stage < 3;
      stage = 3;
    } else if (attrType === AttrType.MESSAGE_INTEGRITY_SHA256) {
      keep = stage < 2;
      if (stage < 2) stage = 2;
    } else if (attrType === AttrType.MESSAGE_INTEGRITY) {
      keep = stage < 1;
      if (stage < 1) stage = 1;
    } else {
      keep = stage === 0;
    }
    if (keep) attributes.push({ type: attrType, value });
  }
  const { cls, method } = splitMessageType(type);
  return { class: cls, method, transactionId, attributes, raw: bytes };
}

/**
 * Encode a message; optionally append MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT (in that order,
 * RFC 8489 §14.5–§14.7). Attributes are written in the given order with zero padding.
 */
export function encodeStunMessage(msg: StunMessage, options: EncodeOptions = {}): Uint8Array {
  if (msg.transactionId.byteLength !== 12) throw new RangeError('transactionId must be 12 bytes');
  if (msg.method < 0 || msg.method > 0xfff) throw new RangeError(`method ${msg.method} out of range`);
  let size = STUN_HEADER_LENGTH;
  for (const a of msg.attributes) size += 4 + ((a.value.byteLength + 3) & ~3);
  const w = new ByteWriter(size + 48);
  w.u16(stunMessageType(msg.class, msg.method)).u16(0).u32(MAGIC_COOKIE).bytes(msg.transactionId);
  for (const a of msg.attributes) {
    if (a.value.byteLength > 0xffff) throw new RangeError(`attribute 0x${a.type.toString(16)} too long`);
    w.u16(a.type)
      .u16(a.value.byteLength)
      .bytes(a.value)
      .zeros((4 - (a.value.byteLength & 3)) & 3);
  }
  if (w.length - STUN_HEADER_LENGTH > 0xffff) throw new RangeError('message too long');
  w.patchUint(2, 2, w.length - STUN_HEADER_LENGTH);
  if (options.integrity) appendIntegrity(w, options.integrity.key, options.integrity.algorithm ?? 'sha1');
  if (options.fingerprint) appendFingerprint(w);
  return w.finish();
}

/** A fresh 96-bit transaction id (RFC 8489 §5: uniformly random). */
export function newTransactionId(random: RandomSource): Uint8Array {
  return random.bytes(12);
}
