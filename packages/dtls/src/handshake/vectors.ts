import { type ByteReader, type ByteWriter, ParseError } from '@rtcwire/common';

/** TLS variable-length vectors (RFC 5246 §4.3): a 1/2/3-byte length prefix, then the bytes. */
export function readVec8(r: ByteReader): Uint8Array {
  return r.bytes(r.u8());
}
export function readVec16(r: ByteReader): Uint8Array {
  return r.bytes(r.u16());
}
export function readVec24(r: ByteReader): Uint8Array {
  return r.bytes(r.u24());
}

export function writeVec8(w: ByteWriter, data: Uint8Array): void {
  if (data.byteLength > 0xff) throw new RangeError(`vector of ${data.byteLength} bytes exceeds 2^8-1`);
  w.u8(data.byteLength).bytes(data);
}
export function writeVec16(w: ByteWriter, data: Uint8Array): void {
  if (data.byteLength > 0xffff) throw new RangeError(`vector of ${data.byteLength} bytes exceeds 2^16-1`);
  w.u16(data.byteLength).bytes(data);
}
export function writeVec24(w: ByteWriter, data: Uint8Array): void {
  if (data.byteLength > 0xffffff) throw new RangeError(`vector of ${data.byteLength} bytes exceeds 2^24-1`);
  w.u24(data.byteLength).bytes(data);
}

/** Read a list of u16 values with a u16 byte-length prefix. */
export function readU16List(r: ByteReader, minCount = 0): number[] {
  const len = r.u16();
  if (len % 2 !== 0) throw new ParseError('invalid_length', `odd u16 list length ${len}`, r.offset - 2);
  if (len / 2 < minCount) throw new ParseError('invalid_length', `u16 list needs ${minCount} entries`, r.offset - 2);
  const out: number[] = [];
  for (let i = 0; i < len; i += 2) out.push(r.u16());
  return out;
}
export function writeU16List(w: ByteWriter, values: readonly number[]): void {
  w.u16(values.length * 2);
  for (const v of values) w.u16(v);
}

export function readU8List(r: ByteReader, minCount = 0): number[] {
  const len = r.u8();
  if (len < minCount) throw new ParseError('invalid_length', `u8 list needs ${minCount} entries`, r.offset - 1);
  const out: number[] = [];
  for (let i = 0; i < len; i++) out.push(r.u8());
  return out;
}
export function writeU8List(w: ByteWriter, values: readonly number[]): void {
  w.u8(values.length);
  for (const v of values) w.u8(v);
}

export function expectEnd(r: ByteReader, what: string): void {
  if (r.remaining !== 0)
    throw new ParseError('trailing_bytes', `${r.remaining} trailing bytes after ${what}`, r.offset);
}
