/**
 * The full RTP packet model (RFC 3550 §5.1) with RFC 8285 header extensions.
 * Decoding never copies: `payload` and extension data are views into the input bytes.
 */
import { InvalidArgumentError, ParseError } from '@rtcwire/common';
import {
  chooseExtensionForm,
  decodeHeaderExtensions,
  type ExtensionForm,
  headerExtensionsSize,
  isRfc8285Profile,
  ONE_BYTE_PROFILE,
  type RtpHeaderExtension,
  TWO_BYTE_PROFILE,
  writeHeaderExtensions,
} from './header-extensions.js';
import { RTP_FIXED_HEADER_SIZE, RTP_VERSION, readRtpHeader } from './rtp-header.js';
import { allocOutput, readU32, view, writeU32 } from './wire.js';

/** A header extension block in a profile other than RFC 8285, kept verbatim. */
export interface RawRtpExtension {
  readonly profile: number;
  /** Extension data; its length must be a multiple of 4. */
  readonly data: Uint8Array;
}

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  /** RFC 8285 elements in wire order (empty when none). */
  readonly extensions: readonly RtpHeaderExtension[];
  /** A non-RFC 8285 extension block; when set, `extensions` must be empty. */
  readonly rawExtension?: RawRtpExtension | undefined;
  readonly payload: Uint8Array;
  /** Padding bytes to append, count byte included (0 = none, else 1–255). */
  readonly paddingLength: number;
}

export interface EncodeRtpOptions {
  /** Force a header extension form; by default one-byte unless an element needs two-byte. */
  readonly extensionForm?: ExtensionForm;
}

/** Decode an RTP packet. Throws `ParseError` on malformed input; payload is a zero-copy view. */
export function decodeRtpPacket(packet: Uint8Array): RtpPacket {
  const h = readRtpHeader(packet);
  const csrcs: number[] = [];
  for (let i = 0; i < h.csrcCount; i++) csrcs.push(readU32(packet, RTP_FIXED_HEADER_SIZE + i * 4));
  let extensions: RtpHeaderExtension[] = [];
  let rawExtension: RawRtpExtension | undefined;
  if (h.hasExtension) {
    if (isRfc8285Profile(h.extensionProfile)) {
      extensions = decodeHeaderExtensions(packet, h.extensionProfile, h.extensionOffset, h.extensionLength);
    } else {
      rawExtension = {
        profile: h.extensionProfile,
        data: view(packet, h.extensionOffset, h.extensionOffset + h.extensionLength),
      };
    }
  }
  return {
    marker: h.marker,
    payloadType: h.payloadType,
    sequenceNumber: h.sequenceNumber,
    timestamp: h.timestamp,
    ssrc: h.ssrc,
    csrcs,
    extensions,
    rawExtension,
    payload: view(packet, h.payloadOffset, h.payloadOffset + h.payloadLength),
    paddingLength: h.paddingLength,
  };
}

/** Like `decodeRtpPacket` but returns undefined instead of throwing. */
export function tryDecodeRtpPacket(packet: Uint8Array): RtpPacket | undefined {
  try {
    return decodeRtpPacket(packet);
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
}

/** Encoded size of `packet` in bytes. */
export function rtpPacketSize(packet: RtpPacket, options?: EncodeRtpOptions): number {
  const form = extensionFormOf(packet, options);
  return fixedAndCsrcSize(packet) + extensionBlockSize(packet, form) + packet.payload.length + packet.paddingLength;
}

/**
 * Encode `packet` into a new byte array. Packets up to 4 KiB are views into a shared 64 KiB slab
 * (as with Node's Buffer pool): use `byteOffset`/`byteLength`, or `.slice()` for an exclusive buffer.
 */
export function encodeRtpPacket(packet: RtpPacket, options?: EncodeRtpOptions): Uint8Array {
  const out = allocOutput(rtpPacketSize(packet, options));
  encodeRtpPacketInto(packet, out, 0, options);
  return out;
}

/**
 * Encode `packet` into `out` at `offset`; returns the number of bytes written. Throws
 * `InvalidArgumentError` on invalid fields or when `out` is too small; nothing is written then.
 */
export function encodeRtpPacketInto(
  packet: RtpPacket,
  out: Uint8Array,
  offset = 0,
  options?: EncodeRtpOptions,
): number {
  validate(packet);
  const form = extensionFormOf(packet, options);
  const extensionSize = extensionBlockSize(packet, form);
  // RFC 3550 §5.3.1: the extension length field counts 32-bit words in 16 bits.
  if (extensionSize > 4 + 0xffff * 4) throw new InvalidArgumentError(`header extension of ${extensionSize} bytes`);
  const size = fixedAndCsrcSize(packet) + extensionSize + packet.payload.length + packet.paddingLength;
  if (offset < 0 || offset + size > out.length) {
    throw new InvalidArgumentError(`RTP packet of ${size} bytes does not fit at offset ${offset}`);
  }
  const csrcCount = packet.csrcs.length;
  out[offset] = (RTP_VERSION << 6) | (packet.paddingLength > 0 ? 0x20 : 0) | (extensionSize > 0 ? 0x10 : 0) | csrcCount;
  out[offset + 1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  out[offset + 2] = packet.sequenceNumber >>> 8;
  out[offset + 3] = packet.sequenceNumber & 0xff;
  writeU32(out, offset + 4, packet.timestamp);
  writeU32(out, offset + 8, packet.ssrc);
  let at = offset + RTP_FIXED_HEADER_SIZE;
  for (let i = 0; i < csrcCount; i++, at += 4) writeU32(out, at, packet.csrcs[i] as number);
  if (packet.rawExtension !== undefined) {
    const raw = packet.rawExtension;
    writeBlockHeader(out, at, raw.profile, raw.data.length);
    out.set(raw.data, at + 4);
    at += 4 + raw.data.length;
  } else if (form !== undefined) {
    const written = writeHeaderExtensions(packet.extensions, form, out, at + 4);
    writeBlockHeader(out, at, form === 'one-byte' ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE, written);
    at += 4 + written;
  }
  out.set(packet.payload, at);
  at += packet.payload.length;
  if (packet.paddingLength > 0) {
    // RFC 3550 §5.1: zero padding whose last octet is the count.
    out.fill(0, at, at + packet.paddingLength - 1);
    at += packet.paddingLength;
    out[at - 1] = packet.paddingLength;
  }
  return at - offset;
}

function fixedAndCsrcSize(packet: RtpPacket): number {
  return RTP_FIXED_HEADER_SIZE + packet.csrcs.length * 4;
}

/** The RFC 8285 form to write, or undefined when there are no elements (or a raw block). */
function extensionFormOf(packet: RtpPacket, options: EncodeRtpOptions | undefined): ExtensionForm | undefined {
  if (packet.rawExtension !== undefined || packet.extensions.length === 0) return undefined;
  return options?.extensionForm ?? chooseExtensionForm(packet.extensions);
}

function extensionBlockSize(packet: RtpPacket, form: ExtensionForm | undefined): number {
  if (packet.rawExtension !== undefined) return 4 + packet.rawExtension.data.length;
  if (form === undefined) return 0;
  return 4 + headerExtensionsSize(packet.extensions, form);
}

function writeBlockHeader(out: Uint8Array, at: number, profile: number, dataLength: number): void {
  const words = dataLength / 4;
  out[at] = profile >>> 8;
  out[at + 1] = profile & 0xff;
  out[at + 2] = words >>> 8;
  out[at + 3] = words & 0xff;
}

function validate(p: RtpPacket): void {
  if (!isUint(p.payloadType, 0x7f)) throw new InvalidArgumentError(`payloadType ${p.payloadType} outside 0-127`);
  if (!isUint(p.sequenceNumber, 0xffff)) throw new InvalidArgumentError(`sequenceNumber ${p.sequenceNumber}`);
  if (!isUint(p.timestamp, 0xffffffff)) throw new InvalidArgumentError(`timestamp ${p.timestamp}`);
  if (!isUint(p.ssrc, 0xffffffff)) throw new InvalidArgumentError(`ssrc ${p.ssrc}`);
  if (p.csrcs.length > 15) throw new InvalidArgumentError(`${p.csrcs.length} CSRCs (max 15)`);
  for (const c of p.csrcs) if (!isUint(c, 0xffffffff)) throw new InvalidArgumentError(`csrc ${c}`);
  if (!isUint(p.paddingLength, 0xff)) throw new InvalidArgumentError(`paddingLength ${p.paddingLength}`);
  const raw = p.rawExtension;
  if (raw !== undefined) {
    if (p.extensions.length > 0) throw new InvalidArgumentError('rawExtension and extensions are exclusive');
    if (!isUint(raw.profile, 0xffff)) throw new InvalidArgumentError(`extension profile ${raw.profile}`);
    if (raw.data.length % 4 !== 0 || raw.data.length > 0xffff * 4) {
      throw new InvalidArgumentError(`raw extension length ${raw.data.length} is not a multiple of 4`);
    }
  }
}

function isUint(v: number, max: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= max;
}
