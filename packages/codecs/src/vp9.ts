import { InvalidArgumentError, isParseError, ParseError, concatBytes } from '@rtcwire/common';
import { BitReader } from './bit-reader.js';
import { evenChunkSizes } from './bytes.js';
import type { AssembledMedia, DepacketizedPayload, Depacketizer, Packetizer, RtpPayload } from './types.js';
import { decodeVp9Descriptor, encodeVp9Descriptor, type Vp9Descriptor } from './vp9-descriptor.js';

/** Facts from a VP9 uncompressed frame header (VP9 bitstream spec §6.2). */
export interface Vp9FrameInfo {
  readonly profile: number;
  readonly showExistingFrame: boolean;
  readonly keyframe: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Parse the start of a VP9 uncompressed header: frame type, and size for keyframes. */
export function parseVp9FrameHeader(frame: Uint8Array): Vp9FrameInfo {
  const r = new BitReader(frame);
  if (r.bits(2) !== 2) throw new ParseError('vp9_bad_marker', 'frame_marker is not 2', 0);
  const low = r.bit();
  const profile = (r.bit() << 1) | low;
  if (profile === 3) r.bit();
  if (r.bit()) return { profile, showExistingFrame: true, keyframe: false };
  const keyframe = r.bit() === 0;
  r.bits(2); // show_frame, error_resilient_mode
  if (!keyframe) return { profile, showExistingFrame: false, keyframe };
  if (r.bits(24) !== 0x498342) throw new ParseError('vp9_bad_sync', 'frame_sync_code missing', 1);
  // color_config (§6.2.2)
  if (profile >= 2) r.bit();
  const colorSpace = r.bits(3);
  if (colorSpace !== 7) {
    r.bit();
    if (profile === 1 || profile === 3) r.bits(3);
  } else if (profile === 1 || profile === 3) r.bit();
  const width = r.bits(16) + 1;
  const height = r.bits(16) + 1;
  return { profile, showExistingFrame: false, keyframe, width, height };
}

/**
 * Join layer frames of one picture into a superframe with an index (VP9 bitstream spec Annex B),
 * so a decoder fed one chunk per picture sees every layer.
 */
export function buildVp9Superframe(frames: readonly Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0] as Uint8Array;
  if (frames.length === 0 || frames.length > 8) throw new InvalidArgumentError('a superframe holds 1..8 frames');
  const largest = Math.max(...frames.map((f) => f.byteLength));
  const mag = largest < 2 ** 8 ? 1 : largest < 2 ** 16 ? 2 : largest < 2 ** 24 ? 3 : 4;
  const marker = 0xc0 | ((mag - 1) << 3) | (frames.length - 1);
  const index = new Uint8Array(2 + mag * frames.length);
  index[0] = marker;
  frames.forEach((f, i) => {
    for (let b = 0; b < mag; b++) index[1 + i * mag + b] = Math.floor(f.byteLength / 256 ** b) & 0xff;
  });
  index[index.length - 1] = marker;
  return concatBytes(...[...frames, index]);
}

export interface Vp9PacketizerOptions {
  readonly maxPayloadSize: number;
  readonly initialPictureId?: number;
}

/**
 * VP9 packetizer for a single-layer stream in non-flexible mode (RFC 9628 §4): 15-bit PictureID,
 * B/E on the first/last packet, P from the frame header, and a scalability structure with the
 * resolution on keyframes (V bit).
 */
export class Vp9Packetizer implements Packetizer {
  readonly maxPayloadSize: number;
  private pictureId: number;

  constructor(options: Vp9PacketizerOptions) {
    if (options.maxPayloadSize < 12) throw new InvalidArgumentError('maxPayloadSize too small for VP9');
    this.maxPayloadSize = options.maxPayloadSize;
    this.pictureId = (options.initialPictureId ?? 0) & 0x7fff;
  }

  packetize(frame: Uint8Array): RtpPayload[] {
    if (frame.byteLength === 0) throw new InvalidArgumentError('empty VP9 frame');
    const info = parseVp9FrameHeader(frame);
    const base: Vp9Descriptor = {
      interPicturePredicted: !info.keyframe,
      flexibleMode: false,
      beginningOfFrame: false,
      endOfFrame: false,
      notReferenceForUpperLayers: false,
      pictureId: this.pictureId,
      pictureIdBits: 15,
    };
    const ss =
      info.width !== undefined && info.height !== undefined
        ? { spatialLayers: 1, resolutions: [{ width: info.width, height: info.height }] }
        : undefined;
    const firstHeader = encodeVp9Descriptor({
      ...base,
      beginningOfFrame: true,
      ...(ss ? { scalabilityStructure: ss } : {}),
    });
    const sizes = evenChunkSizes(frame.byteLength, this.maxPayloadSize - firstHeader.byteLength);
    const out: RtpPayload[] = [];
    let at = 0;
    sizes.forEach((size, i) => {
      const last = i === sizes.length - 1;
      const header =
        i === 0 && !last
          ? firstHeader
          : encodeVp9Descriptor({
              ...base,
              beginningOfFrame: i === 0,
              endOfFrame: last,
              ...(i === 0 && ss ? { scalabilityStructure: ss } : {}),
            });
      const payload = new Uint8Array(header.byteLength + size);
      payload.set(header);
      payload.set(frame.subarray(at, at + size), header.byteLength);
      at += size;
      out.push({ payload, marker: last });
    });
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    return out;
  }
}

export interface Vp9Payload extends DepacketizedPayload {
  readonly descriptor: Vp9Descriptor;
  readonly data: Uint8Array;
}

/**
 * VP9 depacketizer for `FrameAssembler`. A frame is a whole picture (all spatial layers share the
 * RTP timestamp); several layer frames are joined into a superframe. A picture is a keyframe when
 * its base layer frame is not inter-predicted (P=0); size comes from the SS or the frame header.
 */
export class Vp9Depacketizer implements Depacketizer<Vp9Payload> {
  parse(payload: Uint8Array): Vp9Payload {
    const { descriptor, length } = decodeVp9Descriptor(payload);
    if (length >= payload.byteLength) throw new ParseError('empty_payload', 'VP9 payload has no data', length);
    const sid = descriptor.layer?.spatialId ?? 0;
    const frameStart =
      descriptor.beginningOfFrame && sid === 0 ? true : descriptor.beginningOfFrame ? undefined : false;
    return { frameStart, descriptor, data: payload.subarray(length) };
  }

  assemble(parts: readonly Vp9Payload[]): AssembledMedia | undefined {
    const layerFrames: Uint8Array[] = [];
    let current: Uint8Array[] | undefined;
    for (const part of parts) {
      if (part.descriptor.beginningOfFrame) {
        if (current !== undefined) return undefined;
        current = [];
      } else if (current === undefined) return undefined;
      current.push(part.data);
      if (part.descriptor.endOfFrame) {
        layerFrames.push(concatBytes(...current));
        current = undefined;
      }
    }
    // The last layer frame may end on the marker without E (older senders); accept it.
    if (current !== undefined) layerFrames.push(concatBytes(...current));
    if (layerFrames.length === 0 || layerFrames.length > 8) return undefined;
    const first = parts[0] as Vp9Payload;
    // The descriptor's P bit says "maybe key"; the base layer's frame header decides (some
    // senders, e.g. ffmpeg 5.1, leave P at 0 on every frame).
    let keyframe = !first.descriptor.interPicturePredicted && (first.descriptor.layer?.spatialId ?? 0) === 0;
    let info: Vp9FrameInfo | undefined;
    if (keyframe) {
      try {
        info = parseVp9FrameHeader(layerFrames[0] as Uint8Array);
        keyframe = info.keyframe;
      } catch (err) {
        if (!isParseError(err)) throw err;
      }
    }
    const data = buildVp9Superframe(layerFrames);
    const resolutions = parts.find((p) => p.descriptor.scalabilityStructure)?.descriptor.scalabilityStructure
      ?.resolutions;
    const top = resolutions?.[layerFrames.length - 1] ?? resolutions?.at(-1);
    if (keyframe && top) return { data, keyframe, width: top.width, height: top.height };
    if (keyframe && info?.width !== undefined && info.height !== undefined) {
      return { data, keyframe, width: info.width, height: info.height };
    }
    return { data, keyframe };
  }
}
