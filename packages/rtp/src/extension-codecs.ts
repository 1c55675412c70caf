/**
 * Typed codecs for the header extensions WebRTC negotiates via SDP `a=extmap`. Each codec maps
 * the element data of one URI to a value and back; IDs come from the SDP (see `ExtensionMap`).
 */
import { InvalidArgumentError, ParseError } from '@rtcwire/common';

export interface ExtensionCodec<T> {
  readonly uri: string;
  /** Decode element data; throws `ParseError` when malformed. */
  decode(data: Uint8Array): T;
  encode(value: T): Uint8Array;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

function need(data: Uint8Array, n: number, uri: string): void {
  if (data.length < n) throw new ParseError('truncated', `${uri} needs ${n} bytes, got ${data.length}`, data.length);
}

function sdesCodec(uri: string): ExtensionCodec<string> {
  return {
    uri,
    decode(data) {
      // RFC 8843 §15.1 / RFC 8852: the SDES item text, 1-255 bytes (we accept 0 for two-byte form).
      // Senders may pad with NUL bytes; trailing NULs are not part of the identifier.
      let end = data.length;
      while (end > 0 && data[end - 1] === 0) end--;
      return utf8Decoder.decode(data.subarray(0, end));
    },
    encode(value) {
      const bytes = utf8Encoder.encode(value);
      if (bytes.length > 255) throw new InvalidArgumentError(`${uri} value longer than 255 bytes`);
      return bytes;
    },
  };
}

/** RFC 8843 §15.2 BUNDLE media identification. */
export const midExtension = sdesCodec('urn:ietf:params:rtp-hdrext:sdes:mid');
/** RFC 8852 §3.1 RTP stream identifier (simulcast layer). */
export const ridExtension = sdesCodec('urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id');
/** RFC 8852 §3.2 repaired RTP stream identifier (RTX/FEC of a layer). */
export const repairedRidExtension = sdesCodec('urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id');

/**
 * abs-send-time: 24-bit 6.18 fixed-point seconds (wrapping every 64 s). The value is the raw
 * 24-bit field; use `absSendTimeFromMs`/`absSendTimeToMs` to convert.
 */
export const absSendTimeExtension: ExtensionCodec<number> = {
  uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  decode(data) {
    need(data, 3, 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time');
    return ((data[0] as number) << 16) | ((data[1] as number) << 8) | (data[2] as number);
  },
  encode(value) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffff) {
      throw new InvalidArgumentError(`abs-send-time ${value} outside 24 bits`);
    }
    return Uint8Array.of(value >>> 16, (value >>> 8) & 0xff, value & 0xff);
  },
};

/** 6.18 fixed-point seconds, modulo 64 s, for a time in milliseconds. */
export function absSendTimeFromMs(ms: number): number {
  return Math.round((ms * (1 << 18)) / 1000) & 0xffffff;
}
/** Milliseconds (modulo 64 000) for a 6.18 abs-send-time value. */
export function absSendTimeToMs(value: number): number {
  return (value * 1000) / (1 << 18);
}

/** transport-wide-cc-extensions-01 §2: a 16-bit transport-wide sequence number. */
export const transportWideCcExtension: ExtensionCodec<number> = {
  uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  decode(data) {
    need(data, 2, 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01');
    return ((data[0] as number) << 8) | (data[1] as number);
  },
  encode(value) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new InvalidArgumentError(`transport-wide sequence ${value} outside 16 bits`);
    }
    return Uint8Array.of(value >>> 8, value & 0xff);
  },
};

export interface AudioLevel {
  readonly voiceActivity: boolean;
  /** Level in -dBov, 0 (loudest) to 127 (silence). */
  readonly level: number;
}

/** RFC 6464 §3: V flag and 7-bit level in -dBov. */
export const audioLevelExtension: ExtensionCodec<AudioLevel> = {
  uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  decode(data) {
    need(data, 1, 'urn:ietf:params:rtp-hdrext:ssrc-audio-level');
    const b = data[0] as number;
    return { voiceActivity: (b & 0x80) !== 0, level: b & 0x7f };
  },
  encode(value) {
    if (!Number.isInteger(value.level) || value.level < 0 || value.level > 127) {
      throw new InvalidArgumentError(`audio level ${value.level} outside 0-127`);
    }
    return Uint8Array.of((value.voiceActivity ? 0x80 : 0) | value.level);
  },
};

export interface VideoOrientation {
  /** C: true for a back-facing camera. */
  readonly backCamera: boolean;
  /** F: horizontal flip. */
  readonly flip: boolean;
  /** Clockwise rotation in degrees. */
  readonly rotation: 0 | 90 | 180 | 270;
}

/** 3GPP TS 26.114 §7.4.5 coordination of video orientation: 0 0 0 0 C F R1 R0. */
export const videoOrientationExtension: ExtensionCodec<VideoOrientation> = {
  uri: 'urn:3gpp:video-orientation',
  decode(data) {
    need(data, 1, 'urn:3gpp:video-orientation');
    const b = data[0] as number;
    return {
      backCamera: (b & 0x08) !== 0,
      flip: (b & 0x04) !== 0,
      rotation: ((b & 0x03) * 90) as VideoOrientation['rotation'],
    };
  },
  encode(value) {
    const r = value.rotation / 90;
    if (!Number.isInteger(r) || r < 0 || r > 3) throw new InvalidArgumentError(`rotation ${value.rotation}`);
    return Uint8Array.of((value.backCamera ? 0x08 : 0) | (value.flip ? 0x04 : 0) | r);
  },
};

export interface PlayoutDelay {
  /** Minimum playout delay, a multiple of 10 ms up to 40 950. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/** webrtc playout-delay: two 12-bit values in 10 ms units. */
export const playoutDelayExtension: ExtensionCodec<PlayoutDelay> = {
  uri: 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  decode(data) {
    need(data, 3, 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay');
    const v = ((data[0] as number) << 16) | ((data[1] as number) << 8) | (data[2] as number);
    return { minDelayMs: (v >>> 12) * 10, maxDelayMs: (v & 0xfff) * 10 };
  },
  encode(value) {
    const min = value.minDelayMs / 10;
    const max = value.maxDelayMs / 10;
    for (const v of [min, max]) {
      if (!Number.isInteger(v) || v < 0 || v > 0xfff) throw new InvalidArgumentError(`playout delay ${v * 10} ms`);
    }
    return Uint8Array.of(min >>> 4, ((min & 0xf) << 4) | (max >>> 8), max & 0xff);
  },
};

export interface AbsCaptureTime {
  /** UQ32.32 NTP timestamp of the capture time, in the original capturer's clock. */
  readonly absoluteCaptureTimestamp: bigint;
  /** Q32.32 estimated offset between the capturer's clock and the sender's; optional. */
  readonly estimatedCaptureClockOffset?: bigint | undefined;
}

/** webrtc abs-capture-time: 8 bytes, or 16 with the signed clock offset. */
export const absCaptureTimeExtension: ExtensionCodec<AbsCaptureTime> = {
  uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time',
  decode(data) {
    need(data, 8, 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time');
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const absoluteCaptureTimestamp = view.getBigUint64(0);
    if (data.length >= 16) return { absoluteCaptureTimestamp, estimatedCaptureClockOffset: view.getBigInt64(8) };
    return { absoluteCaptureTimestamp };
  },
  encode(value) {
    const withOffset = value.estimatedCaptureClockOffset !== undefined;
    const out = new Uint8Array(withOffset ? 16 : 8);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, BigInt.asUintN(64, value.absoluteCaptureTimestamp));
    if (value.estimatedCaptureClockOffset !== undefined) {
      view.setBigInt64(8, BigInt.asIntN(64, value.estimatedCaptureClockOffset));
    }
    return out;
  },
};

/** Every built-in codec, by URI. */
export const BUILTIN_EXTENSION_CODECS: ReadonlyMap<string, ExtensionCodec<unknown>> = new Map(
  [
    midExtension,
    ridExtension,
    repairedRidExtension,
    absSendTimeExtension,
    transportWideCcExtension,
    audioLevelExtension,
    videoOrientationExtension,
    playoutDelayExtension,
    absCaptureTimeExtension,
  ].map((c) => [c.uri, c as ExtensionCodec<unknown>]),
);
