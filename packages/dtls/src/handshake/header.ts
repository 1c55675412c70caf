import { ByteReader, ParseError } from '@rtcwire/common';
import { HANDSHAKE_HEADER_LENGTH } from '../constants.js';

/** One handshake fragment (RFC 6347 §4.2.2). `body` is a view of fragment_length bytes. */
export interface HandshakeFragment {
  readonly msgType: number;
  /** Length of the whole message body. */
  readonly length: number;
  readonly messageSeq: number;
  readonly fragmentOffset: number;
  readonly body: Uint8Array;
}

/** All handshake fragments in one record's plaintext (a record may carry several). */
export function decodeHandshakeFragments(data: Uint8Array): HandshakeFragment[] {
  const r = new ByteReader(data);
  const out: HandshakeFragment[] = [];
  while (r.remaining > 0) {
    const start = r.offset;
    const msgType = r.u8();
    const length = r.u24();
    const messageSeq = r.u16();
    const fragmentOffset = r.u24();
    const fragmentLength = r.u24();
    if (fragmentOffset + fragmentLength > length) {
      throw new ParseError('invalid_fragment', `fragment ${fragmentOffset}+${fragmentLength} > ${length}`, start);
    }
    out.push({ msgType, length, messageSeq, fragmentOffset, body: r.bytes(fragmentLength) });
  }
  return out;
}

/** Write a handshake header at `at` in `out`. */
export function writeHandshakeHeader(
  out: Uint8Array,
  at: number,
  msgType: number,
  length: number,
  messageSeq: number,
  fragmentOffset: number,
  fragmentLength: number,
): void {
  out[at] = msgType;
  out[at + 1] = (length >>> 16) & 0xff;
  out[at + 2] = (length >>> 8) & 0xff;
  out[at + 3] = length & 0xff;
  out[at + 4] = (messageSeq >>> 8) & 0xff;
  out[at + 5] = messageSeq & 0xff;
  out[at + 6] = (fragmentOffset >>> 16) & 0xff;
  out[at + 7] = (fragmentOffset >>> 8) & 0xff;
  out[at + 8] = fragmentOffset & 0xff;
  out[at + 9] = (fragmentLength >>> 16) & 0xff;
  out[at + 10] = (fragmentLength >>> 8) & 0xff;
  out[at + 11] = fragmentLength & 0xff;
}

/**
 * A whole, unfragmented handshake message with header (fragment_offset 0, fragment_length =
 * length); this is also the form hashed into the transcript (RFC 6347 §4.2.6).
 */
export function encodeHandshakeMessage(msgType: number, messageSeq: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + body.byteLength);
  writeHandshakeHeader(out, 0, msgType, body.byteLength, messageSeq, 0, body.byteLength);
  out.set(body, HANDSHAKE_HEADER_LENGTH);
  return out;
}

/** Encode one fragment (header + slice of `body`). */
export function encodeHandshakeFragment(
  msgType: number,
  messageSeq: number,
  body: Uint8Array,
  fragmentOffset: number,
  fragmentLength: number,
): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + fragmentLength);
  writeHandshakeHeader(out, 0, msgType, body.byteLength, messageSeq, fragmentOffset, fragmentLength);
  out.set(body.subarray(fragmentOffset, fragmentOffset + fragmentLength), HANDSHAKE_HEADER_LENGTH);
  return out;
}
