import { InvalidArgumentError } from '@rtcwire/common';
import { Av1Depacketizer, Av1Packetizer } from './av1.js';
import { H264Depacketizer, H264Packetizer } from './h264.js';
import { OpusDepacketizer, OpusPacketizer } from './opus.js';
import type { Depacketizer, Packetizer } from './types.js';
import { Vp8Depacketizer, Vp8Packetizer } from './vp8.js';
import { Vp9Depacketizer, Vp9Packetizer } from './vp9.js';

/** Encoding names as they appear in SDP `a=rtpmap` (matched case-insensitively). */
export type CodecName = 'opus' | 'VP8' | 'VP9' | 'H264' | 'AV1';

const NAMES: Record<string, CodecName> = { opus: 'opus', vp8: 'VP8', vp9: 'VP9', h264: 'H264', av1: 'AV1' };

/** The supported codec for an rtpmap encoding name (`"vp8"`, `"H264"`, …), or undefined. */
export function codecName(encodingName: string): CodecName | undefined {
  return NAMES[encodingName.toLowerCase()];
}

function required(encodingName: string): CodecName {
  const name = codecName(encodingName);
  if (name === undefined) throw new InvalidArgumentError(`no RTP payload format for codec ${encodingName}`);
  return name;
}

/** A fresh depacketizer (for a `FrameAssembler`) for the codec of an rtpmap encoding name. */
export function createDepacketizer(encodingName: string): Depacketizer {
  switch (required(encodingName)) {
    case 'opus':
      return new OpusDepacketizer();
    case 'VP8':
      return new Vp8Depacketizer();
    case 'VP9':
      return new Vp9Depacketizer();
    case 'H264':
      return new H264Depacketizer();
    case 'AV1':
      return new Av1Depacketizer();
  }
}

export interface CreatePacketizerOptions {
  readonly maxPayloadSize: number;
  /** H.264 fmtp packetization-mode (default 1). */
  readonly packetizationMode?: 0 | 1;
}

/** A packetizer for the codec of an rtpmap encoding name. */
export function createPacketizer(encodingName: string, options: CreatePacketizerOptions): Packetizer {
  const { maxPayloadSize } = options;
  switch (required(encodingName)) {
    case 'opus':
      return new OpusPacketizer({ maxPayloadSize });
    case 'VP8':
      return new Vp8Packetizer({ maxPayloadSize });
    case 'VP9':
      return new Vp9Packetizer({ maxPayloadSize });
    case 'H264':
      return new H264Packetizer({ maxPayloadSize, packetizationMode: options.packetizationMode ?? 1 });
    case 'AV1':
      return new Av1Packetizer({ maxPayloadSize });
  }
}
