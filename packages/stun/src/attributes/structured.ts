import { ParseError } from '@rtcwire/common';
import { AttrType } from '../constants.js';
import { decodeUtf8 } from './basic.js';
import { type AttributeCodec, expectLength } from './codec.js';

const utf8 = new TextEncoder();

/** RFC 8489 §14.8: an error code 300..699 and a reason phrase. */
export interface ErrorCodeValue {
  readonly code: number;
  readonly reason: string;
}

function checkCode(code: number): void {
  if (!Number.isInteger(code) || code < 300 || code > 699) throw new RangeError(`error code ${code} not in 300..699`);
}

function encodeReason(reason: string): Uint8Array {
  const r = utf8.encode(reason);
  if (r.byteLength > 763) throw new RangeError('reason phrase longer than 763 bytes');
  return r;
}

function decodeClassNumber(name: string, v: Uint8Array, at: number): number {
  const cls = (v[at] as number) & 0x07;
  const num = v[at + 1] as number;
  if (cls < 3 || cls > 6 || num > 99)
    throw new ParseError('stun_bad_attribute', `${name}: bad class ${cls} / number ${num}`, at);
  return cls * 100 + num;
}

export const ERROR_CODE: AttributeCodec<ErrorCodeValue> = {
  type: AttrType.ERROR_CODE,
  name: 'ERROR-CODE',
  encode({ code, reason }) {
    checkCode(code);
    const r = encodeReason(reason);
    const out = new Uint8Array(4 + r.byteLength);
    out[2] = Math.floor(code / 100);
    out[3] = code % 100;
    out.set(r, 4);
    return out;
  },
  decode(v) {
    if (v.byteLength < 4) throw new ParseError('stun_bad_attribute', 'ERROR-CODE shorter than 4 bytes', 0);
    if (v.byteLength > 4 + 763) throw new ParseError('stun_bad_attribute', 'ERROR-CODE reason too long', 4);
    return { code: decodeClassNumber('ERROR-CODE', v, 2), reason: decodeUtf8('ERROR-CODE', v.subarray(4)) };
  },
};

/** RFC 8489 §14.13: a list of 16-bit attribute types. */
export const UNKNOWN_ATTRIBUTES: AttributeCodec<readonly number[]> = {
  type: AttrType.UNKNOWN_ATTRIBUTES,
  name: 'UNKNOWN-ATTRIBUTES',
  encode(types) {
    const out = new Uint8Array(types.length * 2);
    const dv = new DataView(out.buffer);
    types.forEach((t, i) => {
      dv.setUint16(i * 2, t);
    });
    return out;
  },
  decode(v) {
    if (v.byteLength % 2 !== 0) throw new ParseError('stun_bad_attribute', 'UNKNOWN-ATTRIBUTES odd length', 0);
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    const out: number[] = [];
    for (let i = 0; i < v.byteLength; i += 2) out.push(dv.getUint16(i));
    return out;
  },
};

/** RFC 8489 §14.11/§14.12: an algorithm number and its parameters. */
export interface PasswordAlgorithmValue {
  readonly algorithm: number;
  readonly parameters: Uint8Array;
}

function encodeAlgorithms(list: readonly PasswordAlgorithmValue[]): Uint8Array {
  let size = 0;
  for (const a of list) size += 4 + ((a.parameters.byteLength + 3) & ~3);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const a of list) {
    dv.setUint16(at, a.algorithm);
    dv.setUint16(at + 2, a.parameters.byteLength);
    out.set(a.parameters, at + 4);
    at += 4 + ((a.parameters.byteLength + 3) & ~3);
  }
  return out;
}

function decodeAlgorithms(name: string, v: Uint8Array): PasswordAlgorithmValue[] {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const out: PasswordAlgorithmValue[] = [];
  let at = 0;
  while (at < v.byteLength) {
    if (at + 4 > v.byteLength) throw new ParseError('stun_bad_attribute', `${name}: truncated entry`, at);
    const len = dv.getUint16(at + 2);
    const padded = (len + 3) & ~3;
    if (at + 4 + padded > v.byteLength) throw new ParseError('stun_bad_attribute', `${name}: parameters overrun`, at);
    out.push({ algorithm: dv.getUint16(at), parameters: v.subarray(at + 4, at + 4 + len) });
    at += 4 + padded;
  }
  return out;
}

export const PASSWORD_ALGORITHM: AttributeCodec<PasswordAlgorithmValue> = {
  type: AttrType.PASSWORD_ALGORITHM,
  name: 'PASSWORD-ALGORITHM',
  encode: (a) => encodeAlgorithms([a]),
  decode(v) {
    const list = decodeAlgorithms('PASSWORD-ALGORITHM', v);
    if (list.length !== 1) throw new ParseError('stun_bad_attribute', 'PASSWORD-ALGORITHM must hold one entry', 0);
    return list[0] as PasswordAlgorithmValue;
  },
};

export const PASSWORD_ALGORITHMS: AttributeCodec<readonly PasswordAlgorithmValue[]> = {
  type: AttrType.PASSWORD_ALGORITHMS,
  name: 'PASSWORD-ALGORITHMS',
  encode: encodeAlgorithms,
  decode: (v) => decodeAlgorithms('PASSWORD-ALGORITHMS', v),
};

/** RFC 8656 §18.1: channel number (16 bits) + RFFU. Valid numbers are 0x4000–0x4FFF (§12). */
export const CHANNEL_NUMBER: AttributeCodec<number> = {
  type: AttrType.CHANNEL_NUMBER,
  name: 'CHANNEL-NUMBER',
  encode(n) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`channel number ${n} out of range`);
    return new Uint8Array([n >> 8, n & 0xff, 0, 0]);
  },
  decode(v) {
    expectLength('CHANNEL-NUMBER', v, 4);
    return ((v[0] as number) << 8) | (v[1] as number);
  },
};

/** A one-byte value followed by three reserved bytes (REQUESTED-TRANSPORT, *-ADDRESS-FAMILY). */
function byteThenReserved(type: number, name: string): AttributeCodec<number> {
  return {
    type,
    name,
    encode(n) {
      if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`${name} ${n} out of range`);
      return new Uint8Array([n, 0, 0, 0]);
    },
    decode(v) {
      expectLength(name, v, 4);
      return v[0] as number;
    },
  };
}

// RFC 8656 §18.7 (protocol number, 17 = UDP), §18.8 and §18.11 (0x01 IPv4, 0x02 IPv6).
export const REQUESTED_TRANSPORT = byteThenReserved(AttrType.REQUESTED_TRANSPORT, 'REQUESTED-TRANSPORT');
export const REQUESTED_ADDRESS_FAMILY = byteThenReserved(AttrType.REQUESTED_ADDRESS_FAMILY, 'REQUESTED-ADDRESS-FAMILY');
export const ADDITIONAL_ADDRESS_FAMILY = byteThenReserved(
  AttrType.ADDITIONAL_ADDRESS_FAMILY,
  'ADDITIONAL-ADDRESS-FAMILY',
);

/** RFC 8656 §18.6: one byte whose top bit R asks to reserve the next-higher port. */
export const EVEN_PORT: AttributeCodec<{ readonly reserve: boolean }> = {
  type: AttrType.EVEN_PORT,
  name: 'EVEN-PORT',
  encode: ({ reserve }) => new Uint8Array([reserve ? 0x80 : 0]),
  decode(v) {
    expectLength('EVEN-PORT', v, 1);
    return { reserve: ((v[0] as number) & 0x80) !== 0 };
  },
};

/** RFC 8656 §18.13: family, reserved, class/number, reason. */
export interface AddressErrorCodeValue extends ErrorCodeValue {
  readonly family: number;
}

export const ADDRESS_ERROR_CODE: AttributeCodec<AddressErrorCodeValue> = {
  type: AttrType.ADDRESS_ERROR_CODE,
  name: 'ADDRESS-ERROR-CODE',
  encode({ family, code, reason }) {
    checkCode(code);
    if (!Number.isInteger(family) || family < 0 || family > 0xff) throw new RangeError(`family ${family} out of range`);
    const r = encodeReason(reason);
    const out = new Uint8Array(4 + r.byteLength);
    out[0] = family;
    out[2] = Math.floor(code / 100);
    out[3] = code % 100;
    out.set(r, 4);
    return out;
  },
  decode(v) {
    if (v.byteLength < 4) throw new ParseError('stun_bad_attribute', 'ADDRESS-ERROR-CODE shorter than 4 bytes', 0);
    if (v.byteLength > 4 + 763) throw new ParseError('stun_bad_attribute', 'ADDRESS-ERROR-CODE reason too long', 4);
    return {
      family: v[0] as number,
      code: decodeClassNumber('ADDRESS-ERROR-CODE', v, 2),
      reason: decodeUtf8('ADDRESS-ERROR-CODE', v.subarray(4)),
    };
  },
};

/** RFC 8656 §18.14: reserved (2), ICMP type, ICMP code, error data (4). */
export interface IcmpValue {
  readonly icmpType: number;
  readonly icmpCode: number;
  readonly errorData: number;
}

export const ICMP: AttributeCodec<IcmpValue> = {
  type: AttrType.ICMP,
  name: 'ICMP',
  encode({ icmpType, icmpCode, errorData }) {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    dv.setUint8(2, icmpType);
    dv.setUint8(3, icmpCode);
    dv.setUint32(4, errorData >>> 0);
    return out;
  },
  decode(v) {
    expectLength('ICMP', v, 8);
    const dv = new DataView(v.buffer, v.byteOffset, 8);
    return { icmpType: dv.getUint8(2), icmpCode: dv.getUint8(3), errorData: dv.getUint32(4) };
  },
};
