/**
 * Full intra request, PSFB FMT 4 (RFC 5104 §4.3.1). The media source SSRC of the common header
 * is unused (0); each FCI entry names the SSRC asked for a decoder refresh.
 *
 *  |                              SSRC                             |   × n
 *  | Seq nr.       |    Reserved (0)                               |
 */
import type { ByteReader, ByteWriter } from '@rtcwire/common';
import { beginPacket, checkU32, checkUint, endPacket, PsfbFormat, RtcpPacketType } from './header.js';

export interface FirEntry {
  readonly ssrc: number;
  /** Command sequence number, incremented per new request (RFC 5104 §4.3.1.1). */
  readonly sequenceNumber: number;
}

export interface FullIntraRequest {
  readonly type: 'fir';
  readonly senderSsrc: number;
  /** SHALL be 0 (RFC 5104 §4.3.1.2); kept as received. */
  readonly mediaSsrc: number;
  readonly entries: readonly FirEntry[];
}

export function decodeFullIntraRequest(r: ByteReader): FullIntraRequest {
  const senderSsrc = r.u32();
  const mediaSsrc = r.u32();
  const entries: FirEntry[] = [];
  while (r.remaining >= 8) {
    const ssrc = r.u32();
    const sequenceNumber = r.u8();
    r.skip(3);
    entries.push({ ssrc, sequenceNumber });
  }
  return { type: 'fir', senderSsrc, mediaSsrc, entries };
}

export function encodeFullIntraRequest(w: ByteWriter, p: FullIntraRequest): void {
  checkU32(p.senderSsrc, 'senderSsrc');
  checkU32(p.mediaSsrc, 'mediaSsrc');
  const at = beginPacket(w, PsfbFormat.FIR, RtcpPacketType.PSFB);
  w.u32(p.senderSsrc).u32(p.mediaSsrc);
  for (const e of p.entries) {
    checkU32(e.ssrc, 'FIR ssrc');
    checkUint(e.sequenceNumber, 0xff, 'FIR sequence number');
    w.u32(e.ssrc).u8(e.sequenceNumber).u24(0);
  }
  endPacket(w, at);
}
