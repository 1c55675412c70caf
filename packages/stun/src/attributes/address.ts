import { copyBytes, ParseError, type SocketAddress, socketAddress } from '@rtcwire/common';
import { AttrType, MAGIC_COOKIE } from '../constants.js';
import { formatIPv4, formatIPv6, ipToBytes } from '../ip.js';
import { type AttributeCodec, expectLength, needTransactionId } from './codec.js';

const FAMILY_V4 = 0x01;
const FAMILY_V6 = 0x02;

/** RFC 8489 §14.1: 0, family, port, address (4 or 16 bytes). */
function encodeAddress(a: SocketAddress): Uint8Array {
  const ip = ipToBytes(a.address);
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 0xffff) throw new RangeError(`port ${a.port} out of range`);
  const out = new Uint8Array(4 + ip.byteLength);
  out[1] = ip.byteLength === 4 ? FAMILY_V4 : FAMILY_V6;
  out[2] = a.port >> 8;
  out[3] = a.port & 0xff;
  out.set(ip, 4);
  return out;
}

function decodeAddress(name: string, v: Uint8Array): { ip: Uint8Array; port: number } {
  expectLength(name, v, 8, 20);
  const family = v[1];
  if (family !== (v.byteLength === 8 ? FAMILY_V4 : FAMILY_V6)) {
    throw new ParseError('stun_bad_address', `${name}: family ${family} does not match length ${v.byteLength}`, 1);
  }
  return { ip: v.slice(4), port: ((v[2] as number) << 8) | (v[3] as number) };
}

function toSocketAddress(ip: Uint8Array, port: number): SocketAddress {
  return socketAddress(ip.byteLength === 4 ? formatIPv4(ip) : formatIPv6(ip), port);
}

/** RFC 8489 §14.2: X-Port = port ^ top 16 bits of the cookie; X-Address ^ cookie (‖ transaction id for IPv6). */
function xorInPlace(v: Uint8Array, tid: Uint8Array): void {
  const mask = new Uint8Array(16);
  new DataView(mask.buffer).setUint32(0, MAGIC_COOKIE);
  mask.set(tid, 4);
  v[2] = (v[2] as number) ^ (mask[0] as number);
  v[3] = (v[3] as number) ^ (mask[1] as number);
  for (let i = 4; i < v.byteLength; i++) v[i] = (v[i] as number) ^ (mask[i - 4] as number);
}

function plainAddressCodec(type: number, name: string): AttributeCodec<SocketAddress> {
  return {
    type,
    name,
    encode: encodeAddress,
    decode(v) {
      const { ip, port } = decodeAddress(name, v);
      return toSocketAddress(ip, port);
    },
  };
}

function xorAddressCodec(type: number, name: string): AttributeCodec<SocketAddress> {
  return {
    type,
    name,
    encode(a, tid) {
      const v = encodeAddress(a);
      xorInPlace(v, v.byteLength === 8 ? new Uint8Array(12) : needTransactionId(name, tid));
      return v;
    },
    decode(v, tid) {
      decodeAddress(name, v);
      const copy = copyBytes(v);
      xorInPlace(copy, tid);
      return toSocketAddress(copy.subarray(4), ((copy[2] as number) << 8) | (copy[3] as number));
    },
  };
}

export const MAPPED_ADDRESS = plainAddressCodec(AttrType.MAPPED_ADDRESS, 'MAPPED-ADDRESS');
export const ALTERNATE_SERVER = plainAddressCodec(AttrType.ALTERNATE_SERVER, 'ALTERNATE-SERVER');
export const XOR_MAPPED_ADDRESS = xorAddressCodec(AttrType.XOR_MAPPED_ADDRESS, 'XOR-MAPPED-ADDRESS');
export const XOR_PEER_ADDRESS = xorAddressCodec(AttrType.XOR_PEER_ADDRESS, 'XOR-PEER-ADDRESS');
export const XOR_RELAYED_ADDRESS = xorAddressCodec(AttrType.XOR_RELAYED_ADDRESS, 'XOR-RELAYED-ADDRESS');
