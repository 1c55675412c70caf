/**
 * The RTCP packet union, single-packet dispatch and compound packets (RFC 3550 §6.1, §6.4.1;
 * RFC 5506 reduced-size RTCP). Unknown packet types and feedback formats are kept raw.
 */
import { ByteReader, ByteWriter, InvalidArgumentError, ParseError } from '@rtcwire/common';
import { type ApplicationDefined, decodeApplicationDefined, encodeApplicationDefined } from './app.js';
import { decodeGoodbye, encodeGoodbye, type Goodbye } from './bye.js';
import { decodeFullIntraRequest, encodeFullIntraRequest, type FullIntraRequest } from './fir.js';
import { checkUint, PsfbFormat, RTCP_HEADER_SIZE, RtcpPacketType, RtpfbFormat } from './header.js';
import { decodeGenericNack, encodeGenericNack, type GenericNack } from './nack.js';
import { decodePictureLossIndication, encodePictureLossIndication, type PictureLossIndication } from './pli.js';
import { decodeReceiverReport, encodeReceiverReport, type ReceiverReport } from './receiver-report.js';
import { decodeRemb, encodeRemb, isRembFci, type ReceiverEstimatedMaxBitrate } from './remb.js';
import { decodeSourceDescription, encodeSourceDescription, type SourceDescription } from './sdes.js';
import { decodeSenderReport, encodeSenderReport, type SenderReport } from './sender-report.js';
import { decodeTransportCc, encodeTransportCc, type TransportCcFeedback } from './transport-cc.js';
import { decodeExtendedReport, type ExtendedReport, encodeExtendedReport } from './xr.js';

/** Any RTCP packet type or feedback format this package does not model, kept verbatim. */
export interface UnknownRtcpPacket {
  readonly type: 'unknown';
  readonly packetType: number;
  /** The 5-bit count/format field. */
  readonly count: number;
  /** Everything after the 4-byte header, padding excluded; a multiple of 4 bytes. */
  readonly body: Uint8Array;
}

export type RtcpPacket =
  | SenderReport
  | ReceiverReport
  | SourceDescription
  | Goodbye
  | ApplicationDefined
  | ExtendedReport
  | GenericNack
  | TransportCcFeedback
  | PictureLossIndication
  | FullIntraRequest
  | ReceiverEstimatedMaxBitrate
  | UnknownRtcpPacket;

function decodeBody(data: Uint8Array, start: number, end: number, count: number, pt: number): RtcpPacket {
  const bodyStart = start + RTCP_HEADER_SIZE;
  const r = new ByteReader(data, bodyStart, end - bodyStart);
  switch (pt) {
    case RtcpPacketType.SR:
      return decodeSenderReport(r, count);
    case RtcpPacketType.RR:
      return decodeReceiverReport(r, count);
    case RtcpPacketType.SDES:
      return decodeSourceDescription(r, count, start);
    case RtcpPacketType.BYE:
      return decodeGoodbye(r, count);
    case RtcpPacketType.APP:
      return decodeApplicationDefined(r, count);
    case RtcpPacketType.XR:
      return decodeExtendedReport(r);
    case RtcpPacketType.RTPFB:
      if (count === RtpfbFormat.NACK) return decodeGenericNack(r);
      if (count === RtpfbFormat.TRANSPORT_CC) return decodeTransportCc(r);
      break;
    case RtcpPacketType.PSFB:
      if (count === PsfbFormat.PLI) return decodePictureLossIndication(r);
      if (count === PsfbFormat.FIR) return decodeFullIntraRequest(r);
      if (count === PsfbFormat.AFB && isRembFci(data, bodyStart + 8, end)) return decodeRemb(r);
      break;
  }
  return { type: 'unknown', packetType: pt, count, body: data.subarray(bodyStart, end) };
}

/**
 * Decode every packet of a compound (or single, or RFC 5506 reduced-size) RTCP datagram. Throws
 * `ParseError` (`truncated`, `bad_version`, `invalid_padding`, or a message-specific code).
 * Padding is accepted on any packet; byte views in the result share memory with `data`.
 */
export function decodeRtcpPackets(data: Uint8Array): RtcpPacket[] {
  if (data.length < RTCP_HEADER_SIZE) throw new ParseError('truncated', 'RTCP shorter than a header', data.length);
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + RTCP_HEADER_SIZE > data.length) throw new ParseError('truncated', 'RTCP header cut short', at);
    const b0 = data[at] as number;
    if (b0 >> 6 !== 2) throw new ParseError('bad_version', `RTCP version ${b0 >> 6}`, at);
    const pt = data[at + 1] as number;
    const size = ((((data[at + 2] as number) << 8) | (data[at + 3] as number)) + 1) * 4;
    if (at + size > data.length) throw new ParseError('truncated', `RTCP packet of ${size} bytes`, at);
    let end = at + size;
    if (b0 & 0x20) {
      // RFC 3550 §6.4.1: the last octet counts the padding, itself included.
      const pad = data[end - 1] as number;
      if (pad === 0 || pad > size - RTCP_HEADER_SIZE)
        throw new ParseError('invalid_padding', `padding ${pad}`, end - 1);
      end -= pad;
    }
    packets.push(decodeBody(data, at, end, b0 & 0x1f, pt));
    at += size;
  }
  return packets;
}

/** Like `decodeRtcpPackets` but returns undefined instead of throwing. */
export function tryDecodeRtcpPackets(data: Uint8Array): RtcpPacket[] | undefined {
  try {
    return decodeRtcpPackets(data);
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
}

function writePacket(w: ByteWriter, p: RtcpPacket): void {
  switch (p.type) {
    case 'sr':
      encodeSenderReport(w, p);
      return;
    case 'rr':
      encodeReceiverReport(w, p);
      return;
    case 'sdes':
      encodeSourceDescription(w, p);
      return;
    case 'bye':
      encodeGoodbye(w, p);
      return;
    case 'app':
      encodeApplicationDefined(w, p);
      return;
    case 'xr':
      encodeExtendedReport(w, p);
      return;
    case 'nack':
      encodeGenericNack(w, p);
      return;
    case 'twcc':
      encodeTransportCc(w, p);
      return;
    case 'pli':
      encodePictureLossIndication(w, p);
      return;
    case 'fir':
      encodeFullIntraRequest(w, p);
      return;
    case 'remb':
      encodeRemb(w, p);
      return;
    case 'unknown': {
      checkUint(p.packetType, 255, 'packetType');
      checkUint(p.count, 31, 'count');
      if (p.body.length % 4 !== 0) throw new InvalidArgumentError('unknown RTCP body is not word-aligned');
      const words = p.body.length / 4;
      checkUint(words, 0xffff, 'RTCP length');
      w.u8(0x80 | p.count)
        .u8(p.packetType)
        .u16(words)
        .bytes(p.body);
      return;
    }
  }
}

export interface EncodeRtcpOptions {
  /**
   * Padding bytes (count octet included) to append to the last packet, RFC 3550 §6.4.1:
   * a multiple of 4 from 4 to 252. Only the last packet of a compound may be padded.
   */
  readonly padding?: number;
}

/** Encode one or more RTCP packets into one (compound) datagram. */
export function encodeRtcpPackets(packets: readonly RtcpPacket[], options?: EncodeRtcpOptions): Uint8Array {
  if (packets.length === 0) throw new InvalidArgumentError('no RTCP packets to encode');
  const w = new ByteWriter(128);
  let lastStart = 0;
  for (const p of packets) {
    lastStart = w.length;
    writePacket(w, p);
  }
  const padding = options?.padding ?? 0;
  if (padding !== 0) {
    if (!Number.isInteger(padding) || padding < 4 || padding > 252 || padding % 4 !== 0) {
      throw new InvalidArgumentError(`RTCP padding ${padding} is not a multiple of 4 in 4-252`);
    }
    w.zeros(padding - 1).u8(padding);
    const out = w.finish();
    out[lastStart] = (out[lastStart] as number) | 0x20;
    const words = (out.length - lastStart) / 4 - 1;
    if (words > 0xffff) throw new InvalidArgumentError('padded RTCP packet too long');
    out[lastStart + 2] = words >>> 8;
    out[lastStart + 3] = words & 0xff;
    return out.slice();
  }
  return w.finish().slice();
}

/** Encode a single RTCP packet. */
export function encodeRtcpPacket(packet: RtcpPacket): Uint8Array {
  return encodeRtcpPackets([packet]);
}

/**
 * True when `packets` form a full compound packet per RFC 3550 §6.1: it starts with an SR or RR
 * and carries an SDES with a CNAME. Anything else is reduced-size RTCP (RFC 5506 §3), which
 * WebRTC permits after `a=rtcp-rsize` negotiation.
 */
export function isFullCompound(packets: readonly RtcpPacket[]): boolean {
  const first = packets[0];
  if (first === undefined || (first.type !== 'sr' && first.type !== 'rr')) return false;
  return packets.some((p) => p.type === 'sdes' && p.chunks.some((c) => c.items.some((i) => i.type === 1)));
}
