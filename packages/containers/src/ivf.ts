import { ByteReader, ByteWriter, InvalidArgumentError, ParseError } from '@rtcwire/common';

/**
 * IVF: the simple container libvpx and libaom use for raw VP8/VP9/AV1 frames.
 * A 32-byte file header followed by frames, each with a 12-byte header (size, 64-bit timestamp).
 * All integers little-endian.
 */

export type IvfFourcc = 'VP80' | 'VP90' | 'AV01';

export interface IvfHeader {
  readonly fourcc: string;
  readonly width: number;
  readonly height: number;
  /** Timebase of frame timestamps: `timebaseNumerator / timebaseDenominator` seconds. */
  readonly timebaseDenominator: number;
  readonly timebaseNumerator: number;
  /** Frame count written in the header (writers that stream may leave it 0 or stale). */
  readonly frameCount: number;
}

export interface IvfFrame {
  /** Presentation timestamp in timebase units. */
  readonly timestamp: number;
  readonly data: Uint8Array;
}

export const IVF_FILE_HEADER_SIZE = 32;
export const IVF_FRAME_HEADER_SIZE = 12;

function le16(w: ByteWriter, v: number): void {
  w.u8(v & 0xff).u8((v >> 8) & 0xff);
}

function le32(w: ByteWriter, v: number): void {
  le16(w, v & 0xffff);
  le16(w, (v >>> 16) & 0xffff);
}

/** Encode the 32-byte IVF file header. */
export function encodeIvfFileHeader(header: IvfHeader): Uint8Array {
  if (!/^[\x20-\x7e]{4}$/.test(header.fourcc)) throw new InvalidArgumentError(`bad IVF fourcc ${header.fourcc}`);
  const w = new ByteWriter(IVF_FILE_HEADER_SIZE);
  w.bytes(new TextEncoder().encode('DKIF'));
  le16(w, 0); // version
  le16(w, IVF_FILE_HEADER_SIZE);
  w.bytes(new TextEncoder().encode(header.fourcc));
  le16(w, header.width);
  le16(w, header.height);
  le32(w, header.timebaseDenominator);
  le32(w, header.timebaseNumerator);
  le32(w, header.frameCount);
  le32(w, 0); // unused
  return w.finish();
}

/** Encode one frame with its 12-byte header. */
export function encodeIvfFrame(frame: IvfFrame): Uint8Array {
  if (!Number.isSafeInteger(frame.timestamp) || frame.timestamp < 0) {
    throw new InvalidArgumentError('IVF timestamp must be a non-negative safe integer');
  }
  const w = new ByteWriter(IVF_FRAME_HEADER_SIZE + frame.data.byteLength);
  le32(w, frame.data.byteLength);
  le32(w, frame.timestamp % 2 ** 32);
  le32(w, Math.floor(frame.timestamp / 2 ** 32));
  w.bytes(frame.data);
  return w.finish();
}

/**
 * Incremental IVF writer: `header()` then `frame()` per frame; both return bytes to append.
 * Because the header carries the frame count, call `finalHeader()` at the end and write it over
 * the first 32 bytes when the output is seekable (a file); streams may keep the first header.
 */
export class IvfWriter {
  private count = 0;

  constructor(private readonly info: Omit<IvfHeader, 'frameCount'>) {}

  header(): Uint8Array {
    return encodeIvfFileHeader({ ...this.info, frameCount: this.count });
  }

  frame(data: Uint8Array, timestamp: number): Uint8Array {
    const out = encodeIvfFrame({ data, timestamp });
    this.count++;
    return out;
  }

  get frameCount(): number {
    return this.count;
  }

  finalHeader(): Uint8Array {
    return this.header();
  }
}

/** Write a whole IVF file in memory. */
export function writeIvf(info: Omit<IvfHeader, 'frameCount'>, frames: readonly IvfFrame[]): Uint8Array {
  const parts = [encodeIvfFileHeader({ ...info, frameCount: frames.length }), ...frames.map(encodeIvfFrame)];
  const w = new ByteWriter(parts.reduce((n, p) => n + p.byteLength, 0));
  for (const p of parts) w.bytes(p);
  return w.finish();
}

function rd16(r: ByteReader): number {
  return r.u8() | (r.u8() << 8);
}

function rd32(r: ByteReader): number {
  return (rd16(r) + rd16(r) * 0x10000) >>> 0;
}

/** Parse an IVF file (for tests and examples). Throws `ParseError` on malformed input. */
export function readIvf(file: Uint8Array): { header: IvfHeader; frames: IvfFrame[] } {
  const r = new ByteReader(file);
  const magic = new TextDecoder().decode(r.bytes(4));
  if (magic !== 'DKIF') throw new ParseError('ivf_bad_magic', 'not an IVF file', 0);
  rd16(r); // version
  const headerSize = rd16(r);
  if (headerSize < IVF_FILE_HEADER_SIZE) throw new ParseError('ivf_bad_header_size', 'header too short', 6);
  const fourcc = new TextDecoder().decode(r.bytes(4));
  const width = rd16(r);
  const height = rd16(r);
  const timebaseDenominator = rd32(r);
  const timebaseNumerator = rd32(r);
  const frameCount = rd32(r);
  r.skip(headerSize - 28);
  const frames: IvfFrame[] = [];
  while (r.remaining > 0) {
    const size = rd32(r);
    const lo = rd32(r);
    const hi = rd32(r);
    frames.push({ timestamp: hi * 2 ** 32 + lo, data: r.bytes(size) });
  }
  return { header: { fourcc, width, height, timebaseDenominator, timebaseNumerator, frameCount }, frames };
}
