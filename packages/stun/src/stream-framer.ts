import { concatBytes, copyBytes, ParseError } from '@rtcwire/common';
import { MAGIC_COOKIE, STUN_HEADER_LENGTH } from './constants.js';

/** One frame cut from a TURN/STUN byte stream (TCP or TLS). */
export type StreamFrame =
  | { readonly kind: 'stun'; readonly bytes: Uint8Array }
  | { readonly kind: 'channel-data'; readonly channel: number; readonly data: Uint8Array };

/**
 * Splits a TCP/TLS byte stream into STUN messages and ChannelData frames (RFC 8656 §12.5: over
 * streams, ChannelData is padded to a multiple of 4; STUN lengths are always multiples of 4).
 * Handles partial and coalesced chunks. A first byte that is neither STUN (0b00) nor ChannelData
 * (0b01), or a STUN header without the magic cookie, means the stream is out of sync: `push` then
 * throws ParseError and the connection should be closed.
 */
export class StreamFramer {
  private buffer: Uint8Array = new Uint8Array(0);
  private failed: ParseError | undefined;

  /** Bytes buffered but not yet framed. */
  get buffered(): number {
    return this.buffer.byteLength;
  }

  /** Append stream bytes and return every complete frame (views into an internal copy). */
  push(chunk: Uint8Array): StreamFrame[] {
    if (this.failed) throw this.failed;
    this.buffer = this.buffer.byteLength === 0 ? copyBytes(chunk) : concatBytes(this.buffer, chunk);
    const frames: StreamFrame[] = [];
    let at = 0;
    const buf = this.buffer;
    while (buf.byteLength - at >= 4) {
      const b0 = buf[at] as number;
      const len = ((buf[at + 2] as number) << 8) | (buf[at + 3] as number);
      if (b0 < 0x40) {
        if ((len & 3) !== 0) this.fail('stream_bad_stun_length', `STUN length ${len} not a multiple of 4`, at + 2);
        // Check the cookie as soon as it is here, so a desynchronised stream fails early.
        if (buf.byteLength - at >= 8 && readU32(buf, at + 4) !== MAGIC_COOKIE) {
          this.fail('stream_bad_cookie', 'STUN magic cookie mismatch', at + 4);
        }
        const total = STUN_HEADER_LENGTH + len;
        if (buf.byteLength - at < total) break;
        frames.push({ kind: 'stun', bytes: buf.subarray(at, at + total) });
        at += total;
      } else if (b0 < 0x80) {
        const channel = (b0 << 8) | (buf[at + 1] as number);
        if (channel > 0x4fff) this.fail('stream_bad_channel', `channel 0x${channel.toString(16)} reserved`, at);
        const total = 4 + ((len + 3) & ~3);
        if (buf.byteLength - at < total) break;
        frames.push({ kind: 'channel-data', channel, data: buf.subarray(at + 4, at + 4 + len) });
        at += total;
      } else {
        this.fail('stream_out_of_sync', `first byte 0x${b0.toString(16)} is neither STUN nor ChannelData`, at);
      }
    }
    this.buffer = buf.subarray(at);
    return frames;
  }

  private fail(code: string, message: string, offset: number): never {
    this.failed = new ParseError(code, message, offset);
    throw this.failed;
  }
}

function readU32(b: Uint8Array, at: number): number {
  return (
    (b[at] as number) * 2 ** 24 + (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))
  );
}
