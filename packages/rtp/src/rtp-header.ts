/**
 * Zero-allocation access to RTP fixed headers (RFC 3550 §5.1).
 *
 * `readRtpHeader` validates a packet once and returns the field values plus the offsets of the
 * extension block, payload and padding, so hot paths (SRTP, SFU forwarding, demux) never copy the
 * payload or build per-field objects. The `rtp*` getters and `setRtp*` setters below read and
 * rewrite single fields of an already validated packet in place.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers             | × CC
 *  |      defined by profile       |           length              |  (if X)
 *  |                        header extension                       |
 */
import { ParseError } from '@rtcwire/common';
import { readU32, writeU32 } from './wire.js';

export const RTP_VERSION = 2;
/** Size of the fixed RTP header without CSRCs or extension. */
export const RTP_FIXED_HEADER_SIZE = 12;

/** Field values and layout offsets of one RTP packet; all offsets are relative to the packet start. */
export interface RtpHeaderView {
  readonly padding: boolean;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcCount: number;
  readonly hasExtension: boolean;
  /** "Defined by profile" field of the extension header (0xBEDE, 0x100X, …); 0 when absent. */
  readonly extensionProfile: number;
  /** Offset of the extension data (after its 4-byte header); 0 when absent. */
  readonly extensionOffset: number;
  /** Length of the extension data in bytes (a multiple of 4). */
  readonly extensionLength: number;
  /** Offset of the payload; equals the full header length. */
  readonly payloadOffset: number;
  readonly payloadLength: number;
  /** Number of padding bytes at the end (including the count byte); 0 without padding. */
  readonly paddingLength: number;
}

/**
 * Validate `packet` as RTP and return its header fields and offsets. Throws `ParseError` with codes
 * `truncated`, `bad_version` or `invalid_padding`. Never copies.
 */
export function readRtpHeader(packet: Uint8Array): RtpHeaderView {
  const length = packet.length;
  if (length < RTP_FIXED_HEADER_SIZE) {
    throw new ParseError('truncated', `RTP packet of ${length} bytes is shorter than the fixed header`, length);
  }
  const b0 = packet[0] as number;
  if (b0 >> 6 !== RTP_VERSION) throw new ParseError('bad_version', `RTP version ${b0 >> 6}`, 0);
  const b1 = packet[1] as number;
  const csrcCount = b0 & 0x0f;
  let offset = RTP_FIXED_HEADER_SIZE + csrcCount * 4;
  if (offset > length) throw new ParseError('truncated', `${csrcCount} CSRCs do not fit`, RTP_FIXED_HEADER_SIZE);
  const hasExtension = (b0 & 0x10) !== 0;
  let extensionProfile = 0;
  let extensionOffset = 0;
  let extensionLength = 0;
  if (hasExtension) {
    // RFC 3550 §5.3.1: 16-bit profile-defined field, 16-bit length in 32-bit words.
    if (offset + 4 > length) throw new ParseError('truncated', 'extension header does not fit', offset);
    extensionProfile = ((packet[offset] as number) << 8) | (packet[offset + 1] as number);
    extensionLength = (((packet[offset + 2] as number) << 8) | (packet[offset + 3] as number)) * 4;
    extensionOffset = offset + 4;
    offset = extensionOffset + extensionLength;
    if (offset > length) throw new ParseError('truncated', 'extension data does not fit', extensionOffset);
  }
  const padding = (b0 & 0x20) !== 0;
  let paddingLength = 0;
  if (padding) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
    paddingLength = packet[length - 1] as number;
    if (paddingLength === 0 || offset + paddingLength > length) {
      throw new ParseError('invalid_padding', `padding count ${paddingLength}`, length - 1);
    }
  }
  return {
    padding,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: ((packet[2] as number) << 8) | (packet[3] as number),
    timestamp: readU32(packet, 4),
    ssrc: readU32(packet, 8),
    csrcCount,
    hasExtension,
    extensionProfile,
    extensionOffset,
    extensionLength,
    payloadOffset: offset,
    payloadLength: length - offset - paddingLength,
    paddingLength,
  };
}

/**
 * Length of the RTP header (fixed part, CSRCs and extension block) without looking at padding.
 * Use it on SRTP packets, whose padding count is encrypted and whose last bytes are the
 * authentication tag, so `readRtpHeader` must not be applied before unprotecting. Throws
 * `ParseError` (`truncated`, `bad_version`).
 */
export function rtpHeaderLength(packet: Uint8Array): number {
  const length = packet.length;
  if (length < RTP_FIXED_HEADER_SIZE) throw new ParseError('truncated', 'shorter than the RTP fixed header', length);
  const b0 = packet[0] as number;
  if (b0 >> 6 !== RTP_VERSION) throw new ParseError('bad_version', `RTP version ${b0 >> 6}`, 0);
  let offset = RTP_FIXED_HEADER_SIZE + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (offset + 4 > length) throw new ParseError('truncated', 'extension header does not fit', offset);
    const words = ((packet[offset + 2] as number) << 8) | (packet[offset + 3] as number);
    offset += 4 + words * 4;
  }
  if (offset > length) throw new ParseError('truncated', 'RTP header does not fit', length);
  return offset;
}

/** Read the CSRC at `index` of a validated packet. */
export function rtpCsrc(packet: Uint8Array, index: number): number {
  return readU32(packet, RTP_FIXED_HEADER_SIZE + index * 4);
}

// Unchecked single-field accessors for packets already validated by `readRtpHeader`
// (or at least 12 bytes long). They never allocate.

export function rtpMarker(packet: Uint8Array): boolean {
  return ((packet[1] as number) & 0x80) !== 0;
}
export function rtpPayloadType(packet: Uint8Array): number {
  return (packet[1] as number) & 0x7f;
}
export function rtpSequenceNumber(packet: Uint8Array): number {
  return ((packet[2] as number) << 8) | (packet[3] as number);
}
export function rtpTimestamp(packet: Uint8Array): number {
  return readU32(packet, 4);
}
export function rtpSsrc(packet: Uint8Array): number {
  return readU32(packet, 8);
}

// In-place rewriting for forwarding (SFU): change identity fields without re-encoding.

export function setRtpMarker(packet: Uint8Array, marker: boolean): void {
  packet[1] = ((packet[1] as number) & 0x7f) | (marker ? 0x80 : 0);
}
export function setRtpPayloadType(packet: Uint8Array, payloadType: number): void {
  packet[1] = ((packet[1] as number) & 0x80) | (payloadType & 0x7f);
}
export function setRtpSequenceNumber(packet: Uint8Array, sequenceNumber: number): void {
  packet[2] = (sequenceNumber >>> 8) & 0xff;
  packet[3] = sequenceNumber & 0xff;
}
export function setRtpTimestamp(packet: Uint8Array, timestamp: number): void {
  writeU32(packet, 4, timestamp);
}
export function setRtpSsrc(packet: Uint8Array, ssrc: number): void {
  writeU32(packet, 8, ssrc);
}

/**
 * RFC 5761 §4 demultiplexing of RTP and RTCP on one port: RTCP packet types 192–223 occupy the
 * second byte, which in RTP would be marker + payload type 64–95.
 */
export function isRtcpPacket(packet: Uint8Array): boolean {
  if (packet.length < 4) return false;
  const pt = packet[1] as number;
  return (packet[0] as number) >> 6 === RTP_VERSION && pt >= 192 && pt <= 223;
}
