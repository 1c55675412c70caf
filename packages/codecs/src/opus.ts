import { InvalidArgumentError, ParseError } from '@rtcwire/common';
import type { AssembledMedia, DepacketizedPayload, Depacketizer, Packetizer, RtpPayload } from './types.js';

/** Opus TOC byte fields (RFC 6716 §3.1). */
export interface OpusToc {
  readonly config: number;
  readonly stereo: boolean;
  /** 0: one frame, 1: two equal, 2: two different sizes, 3: arbitrary count. */
  readonly frameCountCode: number;
  /** Duration of one frame in 48 kHz samples (120..2880). */
  readonly samplesPerFrame: number;
}

const SILK_CELT_SIZES = [480, 960, 1920, 2880];
const HYBRID_SIZES = [480, 960];
const CELT_SIZES = [120, 240, 480, 960];

export function parseOpusToc(toc: number): OpusToc {
  const config = toc >> 3;
  let samplesPerFrame: number;
  if (config < 12) samplesPerFrame = SILK_CELT_SIZES[config % 4] as number;
  else if (config < 16) samplesPerFrame = HYBRID_SIZES[config % 2] as number;
  else samplesPerFrame = CELT_SIZES[config % 4] as number;
  return { config, stereo: (toc & 4) !== 0, frameCountCode: toc & 3, samplesPerFrame };
}

/**
 * Samples (at 48 kHz) an Opus packet covers (RFC 6716 §3.2). Throws `ParseError` for an empty
 * packet or a code-3 packet without its frame-count byte.
 */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) throw new ParseError('opus_empty', 'empty Opus packet', 0);
  const { frameCountCode, samplesPerFrame } = parseOpusToc(toc);
  if (frameCountCode === 0) return samplesPerFrame;
  if (frameCountCode !== 3) return 2 * samplesPerFrame;
  const count = packet[1];
  if (count === undefined) throw new ParseError('opus_truncated', 'code 3 packet without frame count', 1);
  const frames = count & 0x3f;
  // RFC 6716 §3.2.5: at most 120 ms of audio per packet, at least one frame.
  if (frames === 0 || frames * samplesPerFrame > 5760) throw new ParseError('opus_bad_count', 'bad frame count', 1);
  return frames * samplesPerFrame;
}

export interface OpusPacketizerOptions {
  readonly maxPayloadSize: number;
}

/**
 * Opus packetizer (RFC 7587 §4.2): one Opus packet per RTP payload, never split. An empty frame
 * (DTX: the encoder produced nothing) yields no payload at all; the marker bit is left to the
 * caller's talkspurt logic and is false here.
 */
export class OpusPacketizer implements Packetizer {
  readonly maxPayloadSize: number;
  constructor(options: OpusPacketizerOptions) {
    this.maxPayloadSize = options.maxPayloadSize;
  }

  packetize(frame: Uint8Array): RtpPayload[] {
    if (frame.byteLength === 0) return [];
    if (frame.byteLength > this.maxPayloadSize) {
      throw new InvalidArgumentError(`Opus packet of ${frame.byteLength} bytes exceeds ${this.maxPayloadSize}`);
    }
    return [{ payload: frame, marker: false }];
  }
}

export interface OpusPayload extends DepacketizedPayload {
  readonly data: Uint8Array;
}

/** An assembled Opus frame; `dtx` is set for a TOC-only packet (no audio: conceal or comfort noise). */
export interface OpusMedia extends AssembledMedia {
  readonly dtx: boolean;
  readonly samples: number;
}

/**
 * Opus depacketizer for `FrameAssembler`: every packet is one whole frame (RFC 7587 §4.2), so it
 * starts and ends a frame regardless of the marker bit. An empty payload carries no Opus packet
 * (RFC 6716 §3.4 R1 makes a 0-byte packet invalid); the assembler counts it as padding.
 */
export class OpusDepacketizer implements Depacketizer<OpusPayload> {
  parse(payload: Uint8Array): OpusPayload {
    opusPacketSamples(payload);
    return { frameStart: true, frameEnd: true, data: payload };
  }

  assemble(parts: readonly OpusPayload[]): OpusMedia | undefined {
    const part = parts[0];
    if (part === undefined || parts.length !== 1) return undefined;
    // RFC 6716 §3.2.1: a 1-byte code-0 packet carries a zero-length frame (DTX / lost).
    const dtx = part.data.byteLength === 1;
    return { data: part.data, keyframe: true, dtx, samples: opusPacketSamples(part.data) };
  }
}
