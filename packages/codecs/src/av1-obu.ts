import { ParseError } from '@rtcwire/common';
import { BitReader } from './bit-reader.js';

/** AV1 OBU types (AV1 spec §6.2.2). */
export const ObuType = {
  sequenceHeader: 1,
  temporalDelimiter: 2,
  frameHeader: 3,
  tileGroup: 4,
  metadata: 5,
  frame: 6,
  redundantFrameHeader: 7,
  tileList: 8,
  padding: 15,
} as const;

/** Read an unsigned LEB128 value (AV1 spec §4.10.5): at most 8 bytes, value below 2^32. */
export function readLeb128(data: Uint8Array, offset: number): { value: number; length: number } {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const b = data[offset + i];
    if (b === undefined) throw new ParseError('truncated', 'LEB128 value runs past the end', offset + i);
    value += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) {
      if (value >= 2 ** 32) throw new ParseError('av1_leb128_range', 'LEB128 value exceeds 2^32 - 1', offset);
      return { value, length: i + 1 };
    }
  }
  throw new ParseError('av1_leb128_long', 'LEB128 value longer than 8 bytes', offset);
}

export function leb128Size(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}

export function writeLeb128(out: Uint8Array, offset: number, value: number): number {
  let n = 0;
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out[offset + n++] = b;
  } while (value > 0);
  return n;
}

/** One OBU: its type, header bytes (1 or 2, `obu_has_size_field` as found) and payload view. */
export interface Obu {
  readonly type: number;
  readonly header: Uint8Array;
  readonly payload: Uint8Array;
}

/**
 * Parse one OBU at `offset`: the header, an extension byte, and either a size field or (without
 * one) the rest of `data`. Returns the OBU and the offset after it.
 */
export function readObu(data: Uint8Array, offset: number, end = data.byteLength): { obu: Obu; next: number } {
  const h = data[offset];
  if (h === undefined || offset >= end) throw new ParseError('truncated', 'missing OBU header', offset);
  if (h & 0x80) throw new ParseError('av1_forbidden_bit', 'OBU forbidden bit set', offset);
  const headerLength = h & 0x04 ? 2 : 1;
  if (offset + headerLength > end) throw new ParseError('truncated', 'missing OBU extension', offset);
  let at = offset + headerLength;
  let payloadEnd = end;
  if (h & 0x02) {
    const size = readLeb128(data.subarray(0, end), at);
    at += size.length;
    payloadEnd = at + size.value;
    if (payloadEnd > end) throw new ParseError('truncated', 'OBU size runs past the end', at);
  }
  return {
    obu: {
      type: (h >> 3) & 0x0f,
      header: data.subarray(offset, offset + headerLength),
      payload: data.subarray(at, payloadEnd),
    },
    next: payloadEnd,
  };
}

/** Split a low-overhead bitstream (every OBU with `obu_has_size_field` = 1) into OBUs. */
export function splitObus(data: Uint8Array): Obu[] {
  const obus: Obu[] = [];
  let at = 0;
  while (at < data.byteLength) {
    if (!((data[at] as number) & 0x02)) throw new ParseError('av1_no_size', 'OBU without size field in stream', at);
    const { obu, next } = readObu(data, at);
    obus.push(obu);
    at = next;
  }
  return obus;
}

/** Write OBUs in low-overhead bitstream format (header with `obu_has_size_field` = 1, LEB128 size). */
export function joinObus(obus: readonly Obu[]): Uint8Array {
  let total = 0;
  for (const o of obus) total += o.header.byteLength + leb128Size(o.payload.byteLength) + o.payload.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const o of obus) {
    out.set(o.header, at);
    out[at] = (o.header[0] as number) | 0x02;
    at += o.header.byteLength;
    at += writeLeb128(out, at, o.payload.byteLength);
    out.set(o.payload, at);
    at += o.payload.byteLength;
  }
  return out;
}

/** Fields of an AV1 sequence header OBU (AV1 spec §5.5) needed by transports and muxers. */
export interface Av1SequenceHeader {
  readonly profile: number;
  readonly stillPicture: boolean;
  readonly reducedStillPictureHeader: boolean;
  readonly level: number;
  readonly maxWidth: number;
  readonly maxHeight: number;
}

export function parseAv1SequenceHeader(payload: Uint8Array): Av1SequenceHeader {
  const r = new BitReader(payload);
  const profile = r.bits(3);
  const stillPicture = r.bit() === 1;
  const reduced = r.bit() === 1;
  let level = 0;
  if (reduced) level = r.bits(5);
  else {
    let bufferDelayLength = 0;
    const timingInfo = r.bit();
    let decoderModelInfo = 0;
    if (timingInfo) {
      r.skip(64); // num_units_in_display_tick, time_scale
      if (r.bit()) r.uvlc(); // equal_picture_interval → num_ticks_per_picture_minus_1
      decoderModelInfo = r.bit();
      if (decoderModelInfo) {
        bufferDelayLength = r.bits(5) + 1;
        r.skip(32 + 5 + 5); // num_units_in_decoding_tick, removal/presentation time lengths
      }
    }
    const initialDisplayDelay = r.bit();
    const operatingPoints = r.bits(5) + 1;
    for (let i = 0; i < operatingPoints; i++) {
      r.skip(12); // operating_point_idc
      const seqLevel = r.bits(5);
      if (i === 0) level = seqLevel;
      if (seqLevel > 7) r.bit(); // seq_tier
      if (decoderModelInfo && r.bit()) r.skip(2 * bufferDelayLength + 1);
      if (initialDisplayDelay && r.bit()) r.skip(4);
    }
  }
  const widthBits = r.bits(4) + 1;
  const heightBits = r.bits(4) + 1;
  const maxWidth = r.bits(widthBits) + 1;
  const maxHeight = r.bits(heightBits) + 1;
  return { profile, stillPicture, reducedStillPictureHeader: reduced, level, maxWidth, maxHeight };
}

/**
 * Is this frame header / frame OBU a key frame (AV1 spec §5.9.2)? With a reduced still-picture
 * header every frame is a key frame.
 */
export function isAv1KeyFrameHeader(payload: Uint8Array, reducedStillPictureHeader: boolean): boolean {
  if (reducedStillPictureHeader) return true;
  const r = new BitReader(payload);
  if (r.bit()) return false; // show_existing_frame
  return r.bits(2) === 0; // frame_type == KEY_FRAME
}
