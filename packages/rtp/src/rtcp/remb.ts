/**
 * Receiver estimated maximum bitrate, PSFB FMT 15 "AFB" (draft-alvestrand-rmcat-remb-03 §2.2).
 *
 *  |V=2|P| FMT=15  |   PT=206      |             length            |
 *  |                  SSRC of packet sender                        |
 *  |                  SSRC of media source (0)                     |
 *  |  Unique identifier 'R' 'E' 'M' 'B'                            |
 *  |  Num SSRC     | BR Exp    |  BR Mantissa (18 bits)            |
 *  |   SSRC feedback                                               |   × Num SSRC
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError, ParseError } from '@rtcwire/common';
import { beginPacket, checkU32, endPacket, PsfbFormat, RtcpPacketType } from './header.js';

export interface ReceiverEstimatedMaxBitrate {
  readonly type: 'remb';
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  /** Bits per second: mantissa × 2^exp. Encoding rounds down to 18 significant bits. */
  readonly bitrate: number;
  readonly ssrcs: readonly number[];
}

/** 'REMB' in ASCII. */
export const REMB_IDENTIFIER = 0x52454d42;

/** True when the AFB FCI (after the two SSRCs) starts with the REMB identifier. */
export function isRembFci(data: Uint8Array, offset: number, end: number): boolean {
  return (
    end - offset >= 4 &&
    data[offset] === 0x52 &&
    data[offset + 1] === 0x45 &&
    data[offset + 2] === 0x4d &&
    data[offset + 3] === 0x42
  );
}

export function decodeRemb(r: ByteReader): ReceiverEstimatedMaxBitrate {
  const senderSsrc = r.u32();
  const mediaSsrc = r.u32();
  const idAt = r.offset;
  if (r.u32() !== REMB_IDENTIFIER) throw new ParseError('invalid_remb', 'missing REMB identifier', idAt);
  const count = r.u8();
  const v = r.u24();
  const exp = v >>> 18;
  const mantissa = v & 0x3ffff;
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(r.u32());
  return { type: 'remb', senderSsrc, mediaSsrc, bitrate: mantissa * 2 ** exp, ssrcs };
}

export function encodeRemb(w: ByteWriter, p: ReceiverEstimatedMaxBitrate): void {
  checkU32(p.senderSsrc, 'senderSsrc');
  checkU32(p.mediaSsrc, 'mediaSsrc');
  if (p.ssrcs.length > 255) throw new InvalidArgumentError(`${p.ssrcs.length} REMB ssrcs (max 255)`);
  if (!(p.bitrate >= 0) || !Number.isFinite(p.bitrate)) throw new InvalidArgumentError(`REMB bitrate ${p.bitrate}`);
  let exp = 0;
  while (p.bitrate >= 0x40000 * 2 ** exp) exp++;
  if (exp > 63) throw new InvalidArgumentError(`REMB bitrate ${p.bitrate} too large`);
  const mantissa = Math.floor(p.bitrate / 2 ** exp);
  const at = beginPacket(w, PsfbFormat.AFB, RtcpPacketType.PSFB);
  w.u32(p.senderSsrc)
    .u32(p.mediaSsrc)
    .u32(REMB_IDENTIFIER)
    .u8(p.ssrcs.length)
    .u24((exp << 18) | mantissa);
  for (const s of p.ssrcs) {
    checkU32(s, 'REMB ssrc');
    w.u32(s);
  }
  endPacket(w, at);
}
