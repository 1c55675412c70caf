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
  /** seq_level_idx and seq_tier of operating point 0. */
  readonly level: number;
  readonly tier: number;
  readonly maxWidth: number;
  readonly maxHeight: number;
  /** color_config (§5.5.2). */
  readonly highBitdepth: boolean;
  readonly twelveBit: boolean;
  readonly monochrome: boolean;
  readonly subsamplingX: number;
  readonly subsamplingY: number;
  readonly chromaSamplePosition: number;
}

export function parseAv1SequenceHeader(payload: Uint8Array): Av1SequenceHeader {
  const r = new BitReader(payload);
  const profile = r.bits(3);
  const stillPicture = r.bit() === 1;
  const reduced = r.bit() === 1;
  let level = 0;
  let tier = 0;
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
      const seqTier = seqLevel > 7 ? r.bit() : 0;
      if (i === 0) {
        level = seqLevel;
        tier = seqTier;
      }
      if (decoderModelInfo && r.bit()) r.skip(2 * bufferDelayLength + 1);
      if (initialDisplayDelay && r.bit()) r.skip(4);
    }
  }
  const widthBits = r.bits(4) + 1;
  const heightBits = r.bits(4) + 1;
  const maxWidth = r.bits(widthBits) + 1;
  const maxHeight = r.bits(heightBits) + 1;
  if (!reduced && r.bit()) r.skip(4 + 3); // frame_id_numbers_present_flag → id lengths
  r.skip(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  if (!reduced) {
    r.skip(4); // interintra, masked compound, warped motion, dual filter
    const orderHint = r.bit();
    if (orderHint) r.skip(2); // enable_jnt_comp, enable_ref_frame_mvs
    const forceScreenContent = r.bit() ? 2 : r.bit(); // seq_choose_screen_content_tools
    if (forceScreenContent > 0 && !r.bit()) r.bit(); // seq_choose_integer_mv, seq_force_integer_mv
    if (orderHint) r.skip(3); // order_hint_bits_minus_1
  }
  r.skip(3); // enable_superres, enable_cdef, enable_restoration
  // color_config (§5.5.2)
  const highBitdepth = r.bit() === 1;
  const twelveBit = profile === 2 && highBitdepth ? r.bit() === 1 : false;
  const monochrome = profile === 1 ? false : r.bit() === 1;
  let cp = 2;
  let tc = 2;
  let mc = 2;
  if (r.bit()) {
    cp = r.bits(8);
    tc = r.bits(8);
    mc = r.bits(8);
  }
  let subsamplingX = 1;
  let subsamplingY = 1;
  let chromaSamplePosition = 0;
  if (monochrome)
    r.bit(); // color_range
  else if (cp === 1 && tc === 13 && mc === 0) {
    subsamplingX = 0; // sRGB: 4:4:4
    subsamplingY = 0;
  } else {
    r.bit(); // color_range
    if (profile === 1) {
      subsamplingX = 0;
      subsamplingY = 0;
    } else if (profile === 2) {
      if (twelveBit) {
        subsamplingX = r.bit();
        subsamplingY = subsamplingX ? r.bit() : 0;
      } else subsamplingY = 0;
    }
    if (subsamplingX && subsamplingY) chromaSamplePosition = r.bits(2);
  }
  return {
    profile,
    stillPicture,
    reducedStillPictureHeader: reduced,
    level,
    tier,
    maxWidth,
    maxHeight,
    highBitdepth,
    twelveBit,
    monochrome,
    subsamplingX,
    subsamplingY,
    chromaSamplePosition,
  };
}

/**
 * AV1CodecConfigurationRecord ("av1C", AV1-ISOBMFF §2.3.3): the CodecPrivate of AV1 in Matroska /
 * WebM and MP4. Four bytes from the sequence header, then the sequence header OBU itself.
 */
export function buildAv1CodecConfigurationRecord(sequenceHeader: Obu): Uint8Array {
  const s = parseAv1SequenceHeader(sequenceHeader.payload);
  const obu = joinObus([sequenceHeader]);
  const out = new Uint8Array(4 + obu.byteLength);
  out[0] = 0x81; // marker, version 1
  out[1] = (s.profile << 5) | s.level;
  out[2] =
    (s.tier << 7) |
    (s.highBitdepth ? 0x40 : 0) |
    (s.twelveBit ? 0x20 : 0) |
    (s.monochrome ? 0x10 : 0) |
    (s.subsamplingX << 3) |
    (s.subsamplingY << 2) |
    s.chromaSamplePosition;
  out[3] = 0; // no initial_presentation_delay
  out.set(obu, 4);
  return out;
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
