/**
 * Application-defined packet, PT 204 (RFC 3550 §6.7).
 *
 *  |V=2|P| subtype |   PT=APP=204  |             length            |
 *  |                           SSRC/CSRC                           |
 *  |                          name (ASCII)                         |
 *  |                   application-dependent data ...              |
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError } from '@rtcwire/common';
import { beginPacket, checkU32, checkUint, endPacket, RtcpPacketType } from './header.js';

export interface ApplicationDefined {
  readonly type: 'app';
  /** 0–31, carried in the count field. */
  readonly subtype: number;
  readonly ssrc: number;
  /** Four ASCII characters. */
  readonly name: string;
  /** Application data; a multiple of 4 bytes. */
  readonly data: Uint8Array;
}

export function decodeApplicationDefined(r: ByteReader, count: number): ApplicationDefined {
  const ssrc = r.u32();
  const nameBytes = r.bytes(4);
  const name = String.fromCharCode(...nameBytes);
  return { type: 'app', subtype: count, ssrc, name, data: r.rest() };
}

export function encodeApplicationDefined(w: ByteWriter, p: ApplicationDefined): void {
  checkUint(p.subtype, 31, 'APP subtype');
  checkU32(p.ssrc, 'ssrc');
  if (p.name.length !== 4 || !/^[\x00-\xff]{4}$/.test(p.name)) {
    throw new InvalidArgumentError(`APP name ${JSON.stringify(p.name)} is not 4 octets`);
  }
  if (p.data.length % 4 !== 0) throw new InvalidArgumentError('APP data is not word-aligned');
  const at = beginPacket(w, p.subtype, RtcpPacketType.APP);
  w.u32(p.ssrc);
  for (let i = 0; i < 4; i++) w.u8(p.name.charCodeAt(i));
  w.bytes(p.data);
  endPacket(w, at);
}
