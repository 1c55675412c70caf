/**
 * A deliberately small, independent STUN codec for the simulated servers (netsim sits at layer 1 and
 * cannot import @rtcwire/stun; an independent implementation also cross-checks it). RFC 8489 §5–§14.
 */
import { createHash, createHmac } from 'node:crypto';
import type { SocketAddress } from '@rtcwire/common';
import { socketAddress } from '@rtcwire/common';

export const MAGIC_COOKIE = 0x2112a442;
export const ATTR = {
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  CHANNEL_NUMBER: 0x000c,
  LIFETIME: 0x000d,
  XOR_PEER_ADDRESS: 0x0012,
  DATA: 0x0013,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  XOR_MAPPED_ADDRESS: 0x0020,
  FINGERPRINT: 0x8028,
} as const;

export interface WireMessage {
  readonly method: number;
  /** 0 request, 1 indication, 2 success response, 3 error response. */
  readonly cls: number;
  readonly transactionId: Uint8Array;
  readonly attributes: readonly { readonly type: number; readonly value: Uint8Array }[];
  /** The raw message, for integrity checks. */
  readonly raw: Uint8Array;
}

export function isStun(data: Uint8Array): boolean {
  return data.byteLength >= 20 && (data[0] as number) < 4 && readU32(data, 4) === MAGIC_COOKIE;
}

export function decodeWire(data: Uint8Array): WireMessage | undefined {
  if (!isStun(data)) return undefined;
  const type = readU16(data, 0);
  const length = readU16(data, 2);
  if (length + 20 !== data.byteLength || length % 4 !== 0) return undefined;
  const attributes: { type: number; value: Uint8Array }[] = [];
  let at = 20;
  while (at + 4 <= data.byteLength) {
    const t = readU16(data, at);
    const len = readU16(data, at + 2);
    if (at + 4 + len > data.byteLength) return undefined;
    attributes.push({ type: t, value: data.subarray(at + 4, at + 4 + len) });
    at += 4 + ((len + 3) & ~3);
  }
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const cls = ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
  return { method, cls, transactionId: data.slice(8, 20), attributes, raw: data };
}

export function attr(m: WireMessage, type: number): Uint8Array | undefined {
  return m.attributes.find((a) => a.type === type)?.value;
}

export interface EncodeOptions {
  /** MESSAGE-INTEGRITY key (RFC 8489 §14.5). */
  readonly integrityKey?: Uint8Array;
  readonly fingerprint?: boolean;
}

export function encodeWire(
  method: number,
  cls: number,
  transactionId: Uint8Array,
  attributes: readonly { readonly type: number; readonly value: Uint8Array }[],
  options: EncodeOptions = {},
): Uint8Array {
  const parts: number[] = [];
  const type =
    (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
  const header = [type >> 8, type & 0xff, 0, 0, 0x21, 0x12, 0xa4, 0x42, ...transactionId];
  parts.push(...header);
  for (const a of attributes) pushAttr(parts, a.type, a.value);
  const out = (): Uint8Array => Uint8Array.from(parts);
  if (options.integrityKey) {
    setLength(parts, parts.length - 20 + 24);
    const mac = createHmac('sha1', options.integrityKey).update(out()).digest();
    pushAttr(parts, ATTR.MESSAGE_INTEGRITY, new Uint8Array(mac));
  }
  if (options.fingerprint) {
    setLength(parts, parts.length - 20 + 8);
    const crc = (crc32(out()) ^ 0x5354554e) >>> 0;
    pushAttr(parts, ATTR.FINGERPRINT, u32(crc));
  }
  setLength(parts, parts.length - 20);
  return out();
}

/** Verify MESSAGE-INTEGRITY (RFC 8489 §14.5) of a decoded message with `key`. */
export function checkIntegrity(m: WireMessage, key: Uint8Array): boolean {
  let at = 20;
  const d = m.raw;
  while (at + 4 <= d.byteLength) {
    const t = readU16(d, at);
    const len = readU16(d, at + 2);
    if (t === ATTR.MESSAGE_INTEGRITY) {
      if (len !== 20) return false;
      const copy = d.slice(0, at);
      const newLen = at - 20 + 24;
      copy[2] = newLen >> 8;
      copy[3] = newLen & 0xff;
      const mac = createHmac('sha1', key).update(copy).digest();
      return Buffer.compare(mac, Buffer.from(d.subarray(at + 4, at + 24))) === 0;
    }
    at += 4 + ((len + 3) & ~3);
  }
  return false;
}

/** RFC 8489 §9.2.2 long-term key: MD5(username ":" realm ":" password). */
export function longTermKey(username: string, realm: string, password: string): Uint8Array {
  return new Uint8Array(createHash('md5').update(`${username}:${realm}:${password}`).digest());
}

export function encodeXorAddress(a: SocketAddress, transactionId: Uint8Array): Uint8Array {
  const v6 = a.family === 'IPv6';
  const out = new Uint8Array(v6 ? 20 : 8);
  out[1] = v6 ? 2 : 1;
  const port = a.port ^ 0x2112;
  out[2] = port >> 8;
  out[3] = port & 0xff;
  const ip = v6 ? ipv6Bytes(a.address) : Uint8Array.from(a.address.split('.').map(Number));
  const mask = [0x21, 0x12, 0xa4, 0x42, ...transactionId];
  for (let i = 0; i < ip.length; i++) out[4 + i] = (ip[i] as number) ^ (mask[i] as number);
  return out;
}

export function decodeXorAddress(v: Uint8Array, transactionId: Uint8Array): SocketAddress | undefined {
  if (v.byteLength < 8) return undefined;
  const v6 = v[1] === 2;
  if (v6 && v.byteLength < 20) return undefined;
  const port = readU16(v, 2) ^ 0x2112;
  const mask = [0x21, 0x12, 0xa4, 0x42, ...transactionId];
  const ip: number[] = [];
  for (let i = 0; i < (v6 ? 16 : 4); i++) ip.push((v[4 + i] as number) ^ (mask[i] as number));
  if (!v6) return socketAddress(ip.join('.'), port);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((ip[i] as number) << 8) | (ip[i + 1] as number)).toString(16));
  return socketAddress(groups.join(':'), port);
}

export function errorCode(code: number, reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason);
  const out = new Uint8Array(4 + text.byteLength);
  out[2] = Math.floor(code / 100);
  out[3] = code % 100;
  out.set(text, 4);
  return out;
}

export function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

export function readU16(d: Uint8Array, at: number): number {
  return ((d[at] as number) << 8) | (d[at + 1] as number);
}

export function readU32(d: Uint8Array, at: number): number {
  return ((readU16(d, at) << 16) | readU16(d, at + 2)) >>> 0;
}

function pushAttr(parts: number[], type: number, value: Uint8Array): void {
  parts.push(type >> 8, type & 0xff, value.byteLength >> 8, value.byteLength & 0xff, ...value);
  while (parts.length % 4 !== 0) parts.push(0);
}

function setLength(parts: number[], length: number): void {
  parts[2] = length >> 8;
  parts[3] = length & 0xff;
}

function ipv6Bytes(text: string): Uint8Array {
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

let table: Uint32Array | undefined;
function crc32(d: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of d) c = (table[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
