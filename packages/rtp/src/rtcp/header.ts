/**
 * The common RTCP header (RFC 3550 §6.4.1) and helpers shared by the per-message files.
 *
 *  |V=2|P|  count  |      PT       |             length            |
 *
 * `count` is RC/SC/FMT/subtype depending on the packet type; `length` is the packet size in
 * 32-bit words minus one, padding included.
 */
import { type ByteWriter, InvalidArgumentError } from '@rtcwire/common';

export const RTCP_HEADER_SIZE = 4;

/** RTCP packet types (RFC 3550 §12.1, RFC 3611, RFC 4585). */
export const RtcpPacketType = {
  SR: 200,
  RR: 201,
  SDES: 202,
  BYE: 203,
  APP: 204,
  RTPFB: 205,
  PSFB: 206,
  XR: 207,
} as const;

/** Feedback message types (FMT) within RTPFB (RFC 4585 §6.2, transport-wide-cc §3.1). */
export const RtpfbFormat = { NACK: 1, TRANSPORT_CC: 15 } as const;
/** Feedback message types (FMT) within PSFB (RFC 4585 §6.3, RFC 5104 §4.3, REMB). */
export const PsfbFormat = { PLI: 1, FIR: 4, AFB: 15 } as const;

/** Write a header with a zero length; returns its offset for `endPacket`. */
export function beginPacket(w: ByteWriter, count: number, packetType: number): number {
  if (!Number.isInteger(count) || count < 0 || count > 31) {
    throw new InvalidArgumentError(`RTCP count/format ${count} outside 0-31`);
  }
  const at = w.length;
  w.u8(0x80 | count)
    .u8(packetType)
    .u16(0);
  return at;
}

/** Patch the length field of the packet started at `at`; the body must be word-aligned. */
export function endPacket(w: ByteWriter, at: number): void {
  const size = w.length - at;
  if (size % 4 !== 0) throw new InvalidArgumentError(`RTCP packet of ${size} bytes is not word-aligned`);
  if (size / 4 - 1 > 0xffff) throw new InvalidArgumentError(`RTCP packet of ${size} bytes is too long`);
  w.patchUint(at + 2, 2, size / 4 - 1);
}

/** Zero-fill the writer to the next multiple of 4 bytes relative to `start`. */
export function padToWord(w: ByteWriter, start: number): void {
  const rem = (w.length - start) % 4;
  if (rem !== 0) w.zeros(4 - rem);
}

export function checkU32(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new InvalidArgumentError(`${what} ${v} is not a u32`);
}

export function checkUint(v: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new InvalidArgumentError(`${what} ${v} outside 0-${max}`);
}
