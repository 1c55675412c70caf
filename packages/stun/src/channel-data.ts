import { ParseError } from '@rtcwire/common';

/** RFC 8656 §12: valid channel numbers. */
export const MIN_CHANNEL_NUMBER = 0x4000;
export const MAX_CHANNEL_NUMBER = 0x4fff;

export interface ChannelData {
  readonly channel: number;
  /** Application data (a zero-copy view when decoded). */
  readonly data: Uint8Array;
}

export function isValidChannelNumber(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_CHANNEL_NUMBER && n <= MAX_CHANNEL_NUMBER;
}

/** RFC 7983 / RFC 8656 §12: ChannelData starts with 0b01 (first byte 64..79 for valid channels). */
export function isChannelData(bytes: Uint8Array): boolean {
  const b0 = bytes[0];
  return bytes.byteLength >= 4 && b0 !== undefined && b0 >= 0x40 && b0 <= 0x4f;
}

/**
 * RFC 8656 §12.4: channel number (16), length (16), data. Over TCP/TLS the message is padded to a
 * multiple of 4 (`pad: true`); over UDP padding is optional and off by default.
 */
export function encodeChannelData(channel: number, data: Uint8Array, options: { pad?: boolean } = {}): Uint8Array {
  if (!isValidChannelNumber(channel))
    throw new RangeError(`channel number 0x${channel.toString(16)} not in 0x4000–0x4FFF`);
  if (data.byteLength > 0xffff) throw new RangeError('ChannelData payload longer than 65535 bytes');
  const size = 4 + (options.pad ? (data.byteLength + 3) & ~3 : data.byteLength);
  const out = new Uint8Array(size);
  out[0] = channel >> 8;
  out[1] = channel & 0xff;
  out[2] = data.byteLength >> 8;
  out[3] = data.byteLength & 0xff;
  out.set(data, 4);
  return out;
}

/**
 * Decode one ChannelData message. Trailing bytes beyond the length (padding) are allowed, as
 * RFC 8656 §12.5 permits over UDP. Throws ParseError on a bad channel number or truncation.
 */
export function decodeChannelData(bytes: Uint8Array): ChannelData {
  if (bytes.byteLength < 4) throw new ParseError('channel_data_truncated', 'ChannelData shorter than 4 bytes', 0);
  const channel = ((bytes[0] as number) << 8) | (bytes[1] as number);
  if (!isValidChannelNumber(channel)) {
    throw new ParseError('channel_data_bad_channel', `channel 0x${channel.toString(16)} not in 0x4000–0x4FFF`, 0);
  }
  const length = ((bytes[2] as number) << 8) | (bytes[3] as number);
  if (4 + length > bytes.byteLength) {
    throw new ParseError('channel_data_truncated', `length ${length} exceeds ${bytes.byteLength - 4} bytes`, 2);
  }
  return { channel, data: bytes.subarray(4, 4 + length) };
}
