/**
 * Picture loss indication, PSFB FMT 1 (RFC 4585 §6.3.1): no FCI.
 *
 *  |V=2|P|  FMT=1  |   PT=PSFB     |          length=2             |
 *  |                  SSRC of packet sender                        |
 *  |                  SSRC of media source                         |
 */
import type { ByteReader, ByteWriter } from '@rtcwire/common';
import { beginPacket, checkU32, endPacket, PsfbFormat, RtcpPacketType } from './header.js';

export interface PictureLossIndication {
  readonly type: 'pli';
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
}

export function decodePictureLossIndication(r: ByteReader): PictureLossIndication {
  // Any FCI bytes are ignored: RFC 4585 §6.3.1 defines none.
  return { type: 'pli', senderSsrc: r.u32(), mediaSsrc: r.u32() };
}

export function encodePictureLossIndication(w: ByteWriter, p: PictureLossIndication): void {
  checkU32(p.senderSsrc, 'senderSsrc');
  checkU32(p.mediaSsrc, 'mediaSsrc');
  const at = beginPacket(w, PsfbFormat.PLI, RtcpPacketType.PSFB);
  w.u32(p.senderSsrc).u32(p.mediaSsrc);
  endPacket(w, at);
}
