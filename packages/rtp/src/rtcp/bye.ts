/**
 * Goodbye, PT 203 (RFC 3550 §6.6).
 *
 *  |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *  |                           SSRC/CSRC                           | × SC
 *  |     length    |               reason for leaving ...          |   (optional)
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError } from '@rtcwire/common';
import { beginPacket, checkU32, endPacket, padToWord, RtcpPacketType } from './header.js';

export interface Goodbye {
  readonly type: 'bye';
  readonly ssrcs: readonly number[];
  readonly reason?: string | undefined;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function decodeGoodbye(r: ByteReader, count: number): Goodbye {
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(r.u32());
  if (r.remaining === 0) return { type: 'bye', ssrcs };
  const length = r.u8();
  return { type: 'bye', ssrcs, reason: decoder.decode(r.bytes(length)) };
}

export function encodeGoodbye(w: ByteWriter, p: Goodbye): void {
  if (p.ssrcs.length > 31) throw new InvalidArgumentError(`${p.ssrcs.length} BYE sources (max 31)`);
  const at = beginPacket(w, p.ssrcs.length, RtcpPacketType.BYE);
  for (const ssrc of p.ssrcs) {
    checkU32(ssrc, 'bye ssrc');
    w.u32(ssrc);
  }
  if (p.reason !== undefined) {
    const text = encoder.encode(p.reason);
    if (text.length > 255) throw new InvalidArgumentError(`BYE reason of ${text.length} bytes (max 255)`);
    w.u8(text.length).bytes(text);
    padToWord(w, at);
  }
  endPacket(w, at);
}
