import { ParseError } from '@rtcwire/common';
import { AttrType } from '../constants.js';
import { type AttributeCodec, expectLength } from './codec.js';

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(name: string, v: Uint8Array): string {
  try {
    return utf8Strict.decode(v);
  } catch {
    throw new ParseError('stun_bad_utf8', `${name}: invalid UTF-8`, 0);
  }
}

/** A UTF-8 text attribute with a maximum encoded length in bytes. */
function textCodec(type: number, name: string, maxBytes: number): AttributeCodec<string> {
  return {
    type,
    name,
    encode(s) {
      const b = utf8.encode(s);
      if (b.byteLength > maxBytes) throw new RangeError(`${name} longer than ${maxBytes} bytes`);
      return b;
    },
    decode(v) {
      if (v.byteLength > maxBytes)
        throw new ParseError('stun_bad_attribute', `${name} longer than ${maxBytes} bytes`, 0);
      return decodeUtf8(name, v);
    },
  };
}

/** An opaque byte-string attribute (value is a zero-copy view when decoded). */
function bytesCodec(type: number, name: string, lengths?: readonly number[]): AttributeCodec<Uint8Array> {
  return {
    type,
    name,
    encode(b) {
      if (lengths && !lengths.includes(b.byteLength))
        throw new RangeError(`${name} must be ${lengths.join('|')} bytes`);
      return b;
    },
    decode(v) {
      if (lengths) expectLength(name, v, ...lengths);
      return v;
    },
  };
}

function u32Codec(type: number, name: string): AttributeCodec<number> {
  return {
    type,
    name,
    encode(n) {
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${name} ${n} out of range`);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, n);
      return out;
    },
    decode(v) {
      expectLength(name, v, 4);
      return new DataView(v.buffer, v.byteOffset, 4).getUint32(0);
    },
  };
}

function u64Codec(type: number, name: string): AttributeCodec<bigint> {
  return {
    type,
    name,
    encode(n) {
      if (n < 0n || n > 0xffffffffffffffffn) throw new RangeError(`${name} out of range`);
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, n);
      return out;
    },
    decode(v) {
      expectLength(name, v, 8);
      return new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0);
    },
  };
}

/** An attribute without a value (RFC 8445 USE-CANDIDATE, RFC 8656 DONT-FRAGMENT). */
function flagCodec(type: number, name: string): AttributeCodec<true> {
  return {
    type,
    name,
    encode: () => new Uint8Array(0),
    decode(v) {
      expectLength(name, v, 0);
      return true;
    },
  };
}

// RFC 8489 §14.3: USERNAME < 513 bytes.
export const USERNAME = textCodec(AttrType.USERNAME, 'USERNAME', 512);
// RFC 8489 §14.9, §14.10, §14.14: < 128 characters, up to 763 bytes.
export const REALM = textCodec(AttrType.REALM, 'REALM', 763);
export const NONCE = textCodec(AttrType.NONCE, 'NONCE', 763);
export const SOFTWARE = textCodec(AttrType.SOFTWARE, 'SOFTWARE', 763);
// RFC 8489 §14.16: a domain name, at most 255 bytes.
export const ALTERNATE_DOMAIN = textCodec(AttrType.ALTERNATE_DOMAIN, 'ALTERNATE-DOMAIN', 255);
// RFC 8489 §14.4: USERHASH is a 32-byte SHA-256 value.
export const USERHASH = bytesCodec(AttrType.USERHASH, 'USERHASH', [32]);
// RFC 8489 §14.5, §14.6 (SHA-256 may be truncated to 16..32 bytes, multiple of 4).
export const MESSAGE_INTEGRITY = bytesCodec(AttrType.MESSAGE_INTEGRITY, 'MESSAGE-INTEGRITY', [20]);
export const MESSAGE_INTEGRITY_SHA256 = bytesCodec(
  AttrType.MESSAGE_INTEGRITY_SHA256,
  'MESSAGE-INTEGRITY-SHA256',
  [16, 20, 24, 28, 32],
);
// RFC 8489 §14.7.
export const FINGERPRINT = u32Codec(AttrType.FINGERPRINT, 'FINGERPRINT');
// RFC 8445 §16.1.
export const PRIORITY = u32Codec(AttrType.PRIORITY, 'PRIORITY');
export const USE_CANDIDATE = flagCodec(AttrType.USE_CANDIDATE, 'USE-CANDIDATE');
export const ICE_CONTROLLED = u64Codec(AttrType.ICE_CONTROLLED, 'ICE-CONTROLLED');
export const ICE_CONTROLLING = u64Codec(AttrType.ICE_CONTROLLING, 'ICE-CONTROLLING');
// RFC 8656 §18.2, §18.4, §18.9, §18.10.
export const LIFETIME = u32Codec(AttrType.LIFETIME, 'LIFETIME');
export const DATA = bytesCodec(AttrType.DATA, 'DATA');
export const DONT_FRAGMENT = flagCodec(AttrType.DONT_FRAGMENT, 'DONT-FRAGMENT');
export const RESERVATION_TOKEN = bytesCodec(AttrType.RESERVATION_TOKEN, 'RESERVATION-TOKEN', [8]);
