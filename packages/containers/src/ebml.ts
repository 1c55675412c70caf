/**
 * EBML encoding (RFC 8794) for the Matroska writer: element IDs are written with their marker bits
 * as they appear in the spec (e.g. 0x1A45DFA3), sizes as variable-length integers.
 */

/** An element to serialize: id + one of (children | uint | float | string | bytes). */
export type EbmlElement =
  | { id: number; children: readonly EbmlElement[] }
  | { id: number; uint: number | bigint }
  | { id: number; float: number }
  | { id: number; string: string }
  | { id: number; bytes: Uint8Array };

/** Unknown-size marker for an 8-byte size field (RFC 8794 §6.2: all VINT_DATA bits set). */
export const UNKNOWN_SIZE_8 = new Uint8Array([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export function idBytes(id: number): Uint8Array {
  if (id >= 0x10000000) return new Uint8Array([id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff]);
  if (id >= 0x200000) return new Uint8Array([id >>> 16, (id >>> 8) & 0xff, id & 0xff]);
  if (id >= 0x4000) return new Uint8Array([id >>> 8, id & 0xff]);
  return new Uint8Array([id]);
}

/** RFC 8794 §4: the shortest VINT for `n`, or exactly `width` bytes when given. */
export function vint(n: number, width?: number): Uint8Array {
  let len = width ?? 1;
  if (width === undefined) while (len < 8 && n >= 2 ** (7 * len) - 1) len++;
  if (n >= 2 ** (7 * len) - 1) throw new RangeError(`size ${n} does not fit a ${len}-byte vint`);
  const out = new Uint8Array(len);
  let v = n;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0] = (out[0] as number) | (0x80 >> (len - 1));
  return out;
}

function uintBytes(v: number | bigint): Uint8Array {
  let big = BigInt(v);
  if (big < 0n) throw new RangeError('EBML uint must be non-negative');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(big & 0xffn));
    big >>= 8n;
  } while (big > 0n);
  return new Uint8Array(bytes);
}

function payload(e: EbmlElement): Uint8Array {
  if ('children' in e) return encodeElements(e.children);
  if ('uint' in e) return uintBytes(e.uint);
  if ('float' in e) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, e.float);
    return b;
  }
  if ('string' in e) return new TextEncoder().encode(e.string);
  return e.bytes;
}

export function encodeElement(e: EbmlElement): Uint8Array {
  const body = payload(e);
  const id = idBytes(e.id);
  const size = vint(body.byteLength);
  const out = new Uint8Array(id.byteLength + size.byteLength + body.byteLength);
  out.set(id, 0);
  out.set(size, id.byteLength);
  out.set(body, id.byteLength + size.byteLength);
  return out;
}

export function encodeElements(list: readonly EbmlElement[]): Uint8Array {
  const parts = list.map(encodeElement);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** An element header (ID + size) for content written separately. */
export function elementHeader(id: number, size: number | 'unknown'): Uint8Array {
  const idb = idBytes(id);
  const sz = size === 'unknown' ? UNKNOWN_SIZE_8 : vint(size);
  const out = new Uint8Array(idb.byteLength + sz.byteLength);
  out.set(idb, 0);
  out.set(sz, idb.byteLength);
  return out;
}

/** An EBML Void element occupying exactly `total` bytes (total >= 2), to reserve room for later patches. */
export function voidElement(total: number): Uint8Array {
  if (total < 2) throw new RangeError('a Void element needs at least 2 bytes');
  // ID 0xEC (1 byte) + size vint; pick the size width that makes the whole fit exactly.
  for (let w = 1; w <= 8; w++) {
    const body = total - 1 - w;
    if (body >= 0 && body < 2 ** (7 * w) - 1) {
      const out = new Uint8Array(total);
      out[0] = 0xec;
      out.set(vint(body, w), 1);
      return out;
    }
  }
  throw new RangeError(`cannot make a ${total}-byte Void`);
}

/** Matroska element IDs used by the writer (Matroska spec, RFC 9559). */
export const ID = {
  EBML: 0x1a45dfa3,
  EBMLVersion: 0x4286,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  FlagLacing: 0x9c,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  CodecDelay: 0x56aa,
  SeekPreRoll: 0x56bb,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Audio: 0xe1,
  SamplingFrequency: 0xb5,
  Channels: 0x9f,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
} as const;
