import { ByteReader, InvalidArgumentError, ParseError, concatBytes } from '@rtcwire/common';
import { evenChunkSizes } from './bytes.js';
import type { AssembledMedia, DepacketizedPayload, Depacketizer, Packetizer, RtpPayload } from './types.js';

/** The VP8 payload descriptor (RFC 7741 §4.2). Optional fields are present only when set. */
export interface Vp8Descriptor {
  /** N: the frame can be discarded without affecting others. */
  readonly nonReference: boolean;
  /** S: this packet starts a VP8 partition. */
  readonly startOfPartition: boolean;
  /** PID: partition index, 0..7. */
  readonly partitionIndex: number;
  /** PictureID, with the width it is sent in (M bit: 15 bits, else 7). */
  readonly pictureId?: number;
  readonly pictureIdBits?: 7 | 15;
  /** TL0PICIDX (L bit). */
  readonly tl0PicIdx?: number;
  /** TID (T bit), with Y: layer sync. */
  readonly temporalLayerId?: number;
  readonly layerSync?: boolean;
  /** KEYIDX (K bit). */
  readonly keyIndex?: number;
}

/** Decode the descriptor at the start of a VP8 RTP payload; returns it and its length in bytes. */
export function decodeVp8Descriptor(payload: Uint8Array): { descriptor: Vp8Descriptor; length: number } {
  // Hand-rolled (no reader object): this runs once per received VP8 packet.
  let at = 0;
  const next = (): number => {
    const b = payload[at];
    if (b === undefined) throw new ParseError('truncated', 'VP8 payload descriptor truncated', at);
    at++;
    return b;
  };
  const b0 = next();
  // RFC 7741 §4.2: |X|R|N|S|R| PID |
  const d: {
    -readonly [K in keyof Vp8Descriptor]: Vp8Descriptor[K];
  } = { nonReference: (b0 & 0x20) !== 0, startOfPartition: (b0 & 0x10) !== 0, partitionIndex: b0 & 0x07 };
  if (b0 & 0x80) {
    const x = next(); // |I|L|T|K| RSV |
    if (x & 0x80) {
      const p0 = next();
      if (p0 & 0x80) {
        d.pictureId = ((p0 & 0x7f) << 8) | next();
        d.pictureIdBits = 15;
      } else {
        d.pictureId = p0;
        d.pictureIdBits = 7;
      }
    }
    if (x & 0x40) d.tl0PicIdx = next();
    if (x & 0x30) {
      const tk = next(); // |TID|Y| KEYIDX |
      if (x & 0x20) {
        d.temporalLayerId = tk >> 6;
        d.layerSync = (tk & 0x20) !== 0;
      }
      if (x & 0x10) d.keyIndex = tk & 0x1f;
    }
  }
  return { descriptor: d, length: at };
}

export function encodeVp8Descriptor(d: Vp8Descriptor): Uint8Array {
  const out: number[] = [];
  const hasPid = d.pictureId !== undefined;
  const hasL = d.tl0PicIdx !== undefined;
  const hasT = d.temporalLayerId !== undefined;
  const hasK = d.keyIndex !== undefined;
  const x = hasPid || hasL || hasT || hasK;
  out.push((x ? 0x80 : 0) | (d.nonReference ? 0x20 : 0) | (d.startOfPartition ? 0x10 : 0) | (d.partitionIndex & 7));
  if (x) out.push((hasPid ? 0x80 : 0) | (hasL ? 0x40 : 0) | (hasT ? 0x20 : 0) | (hasK ? 0x10 : 0));
  if (d.pictureId !== undefined) {
    if ((d.pictureIdBits ?? 15) === 15) out.push(0x80 | ((d.pictureId >> 8) & 0x7f), d.pictureId & 0xff);
    else out.push(d.pictureId & 0x7f);
  }
  if (d.tl0PicIdx !== undefined) out.push(d.tl0PicIdx & 0xff);
  if (hasT || hasK) {
    out.push(((d.temporalLayerId ?? 0) << 6) | (d.layerSync ? 0x20 : 0) | ((d.keyIndex ?? 0) & 0x1f));
  }
  return Uint8Array.from(out);
}

/** Facts from the start of a VP8 frame (RFC 6386 §9.1, RFC 7741 §4.3). */
export interface Vp8FrameInfo {
  readonly keyframe: boolean;
  readonly version: number;
  readonly showFrame: boolean;
  readonly firstPartitionSize: number;
  /** Keyframes only: the coded size (14 bits each) and scaling (2 bits each). */
  readonly width?: number;
  readonly height?: number;
  readonly horizontalScale?: number;
  readonly verticalScale?: number;
}

/** Parse the VP8 frame tag (and the keyframe start code and size). */
export function parseVp8FrameHeader(frame: Uint8Array): Vp8FrameInfo {
  const r = new ByteReader(frame);
  const tag = r.u24();
  // The 3-byte frame tag is little-endian: bit 0 = !keyframe (P), bits 1-3 version, bit 4 show_frame.
  const b0 = tag >> 16;
  const size = ((tag >> 16) | (((tag >> 8) & 0xff) << 8) | ((tag & 0xff) << 16)) >>> 5;
  const info = {
    keyframe: (b0 & 1) === 0,
    version: (b0 >> 1) & 7,
    showFrame: (b0 & 0x10) !== 0,
    firstPartitionSize: size,
  };
  if (!info.keyframe) return info;
  if (r.u24() !== 0x9d012a) throw new ParseError('vp8_bad_start_code', 'keyframe start code missing', 3);
  const w = r.u8() | (r.u8() << 8);
  const h = r.u8() | (r.u8() << 8);
  return { ...info, width: w & 0x3fff, horizontalScale: w >> 14, height: h & 0x3fff, verticalScale: h >> 14 };
}

export interface Vp8PacketizerOptions {
  readonly maxPayloadSize: number;
  /** Send a 15-bit PictureID (default) or none. */
  readonly pictureId?: boolean;
  readonly initialPictureId?: number;
}

/** VP8 packetizer (RFC 7741 §4): one partition-agnostic split per frame, S=1/PID=0 on the first. */
export class Vp8Packetizer implements Packetizer {
  readonly maxPayloadSize: number;
  private readonly withPictureId: boolean;
  private pictureId: number;

  constructor(options: Vp8PacketizerOptions) {
    this.withPictureId = options.pictureId ?? true;
    this.pictureId = (options.initialPictureId ?? 0) & 0x7fff;
    const headerSize = this.withPictureId ? 4 : 1;
    if (options.maxPayloadSize <= headerSize) throw new InvalidArgumentError('maxPayloadSize too small for VP8');
    this.maxPayloadSize = options.maxPayloadSize;
  }

  packetize(frame: Uint8Array): RtpPayload[] {
    if (frame.byteLength === 0) throw new InvalidArgumentError('empty VP8 frame');
    const base = this.withPictureId ? { pictureId: this.pictureId, pictureIdBits: 15 as const } : {};
    const first = encodeVp8Descriptor({ nonReference: false, startOfPartition: true, partitionIndex: 0, ...base });
    const rest = encodeVp8Descriptor({ nonReference: false, startOfPartition: false, partitionIndex: 0, ...base });
    const sizes = evenChunkSizes(frame.byteLength, this.maxPayloadSize - first.byteLength);
    const out: RtpPayload[] = [];
    let at = 0;
    sizes.forEach((size, i) => {
      const header = i === 0 ? first : rest;
      const payload = new Uint8Array(header.byteLength + size);
      payload.set(header);
      payload.set(frame.subarray(at, at + size), header.byteLength);
      at += size;
      out.push({ payload, marker: i === sizes.length - 1 });
    });
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    return out;
  }
}

export interface Vp8Payload extends DepacketizedPayload {
  readonly descriptor: Vp8Descriptor;
  readonly data: Uint8Array;
}

/** VP8 depacketizer for `FrameAssembler`: strips descriptors, detects keyframes and size. */
export class Vp8Depacketizer implements Depacketizer<Vp8Payload> {
  parse(payload: Uint8Array): Vp8Payload {
    const { descriptor, length } = decodeVp8Descriptor(payload);
    if (length >= payload.byteLength) throw new ParseError('empty_payload', 'VP8 payload has no data', length);
    // RFC 7741 §4.4: a frame begins where S=1 and PID=0.
    const frameStart = descriptor.startOfPartition && descriptor.partitionIndex === 0;
    return { frameStart, descriptor, data: payload.subarray(length) };
  }

  assemble(parts: readonly Vp8Payload[]): AssembledMedia | undefined {
    const data = concatBytes(...parts.map((p) => p.data));
    const info = parseVp8FrameHeader(data);
    if (info.width !== undefined && info.height !== undefined) {
      return { data, keyframe: true, width: info.width, height: info.height };
    }
    return { data, keyframe: info.keyframe };
  }
}
