/**
 * Source description, PT 202 (RFC 3550 §6.5).
 *
 *  |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *  |                          SSRC/CSRC_1                          |   chunk 1
 *  |    type     |    length     |  text ...                       |   items
 *  |  0 (end)  … zero padding to the next 32-bit boundary          |
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError, ParseError } from '@rtcwire/common';
import { beginPacket, checkU32, checkUint, endPacket, RtcpPacketType } from './header.js';

/** SDES item types (RFC 3550 §6.5.1–§6.5.8). */
export const SdesItemType = {
  CNAME: 1,
  NAME: 2,
  EMAIL: 3,
  PHONE: 4,
  LOC: 5,
  TOOL: 6,
  NOTE: 7,
  PRIV: 8,
} as const;

export interface SdesItem {
  /** 1–255; see SdesItemType. */
  readonly type: number;
  /** UTF-8 text, at most 255 bytes (for PRIV: the prefix-length octet, prefix and value). */
  readonly text: string;
}

export interface SdesChunk {
  readonly ssrc: number;
  readonly items: readonly SdesItem[];
}

export interface SourceDescription {
  readonly type: 'sdes';
  readonly chunks: readonly SdesChunk[];
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** `packetStart` is the offset of the RTCP header, for 32-bit alignment of chunks. */
export function decodeSourceDescription(r: ByteReader, count: number, packetStart: number): SourceDescription {
  const chunks: SdesChunk[] = [];
  for (let i = 0; i < count; i++) {
    const ssrc = r.u32();
    const items: SdesItem[] = [];
    for (;;) {
      if (r.remaining === 0) throw new ParseError('invalid_sdes', 'SDES chunk without end item', r.offset);
      const type = r.u8();
      if (type === 0) break;
      const length = r.u8();
      items.push({ type, text: decoder.decode(r.bytes(length)) });
    }
    // RFC 3550 §6.5: the null octet(s) pad the chunk to the next 32-bit boundary.
    const misalign = (r.offset - packetStart) % 4;
    if (misalign !== 0) r.skip(4 - misalign);
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

export function encodeSourceDescription(w: ByteWriter, p: SourceDescription): void {
  if (p.chunks.length > 31) throw new InvalidArgumentError(`${p.chunks.length} SDES chunks (max 31)`);
  const at = beginPacket(w, p.chunks.length, RtcpPacketType.SDES);
  for (const chunk of p.chunks) {
    checkU32(chunk.ssrc, 'sdes ssrc');
    w.u32(chunk.ssrc);
    for (const item of chunk.items) {
      checkUint(item.type, 255, 'SDES item type');
      if (item.type === 0) throw new InvalidArgumentError('SDES item type 0 is the end marker');
      const text = encoder.encode(item.text);
      if (text.length > 255) throw new InvalidArgumentError(`SDES item of ${text.length} bytes (max 255)`);
      w.u8(item.type).u8(text.length).bytes(text);
    }
    // At least one null octet, then pad to 32 bits.
    w.u8(0);
    const rem = (w.length - at) % 4;
    if (rem !== 0) w.zeros(4 - rem);
  }
  endPacket(w, at);
}

/** The CNAME of the chunk for `ssrc`, or of the first chunk carrying one. */
export function sdesCname(p: SourceDescription, ssrc?: number): string | undefined {
  for (const chunk of p.chunks) {
    if (ssrc !== undefined && chunk.ssrc !== ssrc) continue;
    for (const item of chunk.items) if (item.type === SdesItemType.CNAME) return item.text;
  }
  return undefined;
}
