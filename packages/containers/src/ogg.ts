import { ParseError } from '@rtcwire/common';

/**
 * Ogg pages (RFC 3533): the page writer and a reader used to verify files and in tests.
 */

// RFC 3533 §6: CRC-32 with polynomial 0x04C11DB7, initial value 0, no reflection, no final XOR.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

export function oggCrc32(data: Uint8Array, crc = 0): number {
  for (let i = 0; i < data.byteLength; i++) {
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ (data[i] as number)) & 0xff] as number)) >>> 0;
  }
  return crc;
}

const ZERO_CRC_FIELD = new Uint8Array(4);

export const OGG_CONTINUED = 0x01;
export const OGG_BOS = 0x02;
export const OGG_EOS = 0x04;

export interface OggPageInput {
  serial: number;
  sequence: number;
  /** Granule position; -1 when no packet ends on this page. */
  granule: bigint;
  flags: number;
  /** Lacing values (segment table) and the concatenated segment data. */
  segments: readonly number[];
  body: Uint8Array;
}

/** Serialize one page with its CRC (RFC 3533 §6). */
export function encodeOggPage(p: OggPageInput): Uint8Array {
  if (p.segments.length > 255) throw new RangeError('an Ogg page holds at most 255 segments');
  const headerLength = 27 + p.segments.length;
  const out = new Uint8Array(headerLength + p.body.byteLength);
  const v = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53], 0); // 'OggS'
  v.setUint8(4, 0);
  v.setUint8(5, p.flags);
  v.setBigInt64(6, p.granule, true);
  v.setUint32(14, p.serial >>> 0, true);
  v.setUint32(18, p.sequence >>> 0, true);
  v.setUint32(22, 0, true);
  v.setUint8(26, p.segments.length);
  out.set(p.segments, 27);
  out.set(p.body, headerLength);
  v.setUint32(22, oggCrc32(out), true);
  return out;
}

/** Lacing values for one packet (RFC 3533 §5): 255s then the remainder (a final 0 when size % 255 == 0). */
export function lacing(size: number): number[] {
  const out: number[] = [];
  let left = size;
  while (left >= 255) {
    out.push(255);
    left -= 255;
  }
  out.push(left);
  return out;
}

export interface OggPage extends OggPageInput {
  offset: number;
}

/** Parse all complete pages; stops quietly at a truncated tail. Throws ParseError on a corrupt page. */
export function readOggPages(data: Uint8Array): OggPage[] {
  const pages: OggPage[] = [];
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + 27 <= data.byteLength) {
    if (v.getUint32(at) !== 0x4f676753) throw new ParseError('ogg_no_capture', 'missing OggS capture pattern', at);
    const count = v.getUint8(at + 26);
    if (at + 27 + count > data.byteLength) break;
    const segments = Array.from(data.subarray(at + 27, at + 27 + count));
    const bodyLength = segments.reduce((n, s) => n + s, 0);
    const end = at + 27 + count + bodyLength;
    if (end > data.byteLength) break;
    // The CRC covers the page with its own CRC field as zeros; computed in place, never mutating `data`.
    let crc = oggCrc32(data.subarray(at, at + 22));
    crc = oggCrc32(ZERO_CRC_FIELD, crc);
    crc = oggCrc32(data.subarray(at + 26, end), crc);
    if (crc !== v.getUint32(at + 22, true)) throw new ParseError('ogg_bad_crc', 'page CRC mismatch', at);
    pages.push({
      offset: at,
      flags: v.getUint8(at + 5),
      granule: v.getBigInt64(at + 6, true),
      serial: v.getUint32(at + 14, true),
      sequence: v.getUint32(at + 18, true),
      segments,
      body: data.subarray(at + 27 + count, end),
    });
    at = end;
  }
  return pages;
}

/** Reassemble the packets of one logical stream from its pages. */
export function oggPackets(pages: readonly OggPage[]): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let partial: number[] = [];
  for (const page of pages) {
    let at = 0;
    for (const seg of page.segments) {
      for (let i = 0; i < seg; i++) partial.push(page.body[at + i] as number);
      at += seg;
      if (seg < 255) {
        packets.push(new Uint8Array(partial));
        partial = [];
      }
    }
  }
  return packets;
}
