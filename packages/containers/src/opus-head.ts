/** The Opus identification header the containers need (RFC 7845 §5.1). */
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
