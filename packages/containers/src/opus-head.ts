import { ParseError } from '@rtcwire/common';

/**
 * Opus helpers the containers need: the identification header (RFC 7845 §5.1) and a packet's
 * duration from its TOC byte (RFC 6716 §3.1).
 */
export interface OpusHeadOptions {
  channels?: number;
  /** Samples at 48 kHz to discard at the start; default 312 (what libopus encoders report). */
  preSkip?: number;
  inputSampleRate?: number;
}

/** RFC 7845 §5.1: 'OpusHead', version 1, channels, pre-skip, input rate, gain 0, mapping family 0. */
export function opusHead(options: OpusHeadOptions = {}): Uint8Array {
  const channels = options.channels ?? 2;
  if (channels < 1 || channels > 2) throw new RangeError('mapping family 0 carries 1 or 2 channels');
  const out = new Uint8Array(19);
  out.set(new TextEncoder().encode('OpusHead'), 0);
  const v = new DataView(out.buffer);
  v.setUint8(8, 1);
  v.setUint8(9, channels);
  v.setUint16(10, options.preSkip ?? 312, true);
  v.setUint32(12, options.inputSampleRate ?? 48000, true);
  v.setInt16(16, 0, true);
  v.setUint8(18, 0);
  return out;
}

// RFC 6716 §3.1 Table 2: frame size per TOC config, in 48 kHz samples.
const CONFIG_SAMPLES = [
  480,
  960,
  1920,
  2880,
  480,
  960,
  1920,
  2880,
  480,
  960,
  1920,
  2880, // SILK NB/MB/WB: 10,20,40,60 ms
  480,
  960,
  480,
  960, // Hybrid SWB/FB: 10,20 ms
  120,
  240,
  480,
  960,
  120,
  240,
  480,
  960,
  120,
  240,
  480,
  960,
  120,
  240,
  480,
  960, // CELT: 2.5,5,10,20 ms
];

/** Duration of an Opus packet in 48 kHz samples (RFC 6716 §3.1–3.2). An empty packet (DTX) lasts 0. */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.byteLength === 0) return 0;
  const toc = packet[0] as number;
  const perFrame = CONFIG_SAMPLES[toc >> 3] as number;
  switch (toc & 3) {
    case 0:
      return perFrame;
    case 1:
    case 2:
      return perFrame * 2;
    default: {
      if (packet.byteLength < 2) throw new ParseError('opus_truncated', 'code-3 packet without frame count', 1);
      const count = (packet[1] as number) & 0x3f;
      if (count === 0) throw new ParseError('opus_bad_count', 'code-3 packet with zero frames', 1);
      return perFrame * count;
    }
  }
}
