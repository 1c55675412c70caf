/**
 * Transport-wide congestion control feedback, RTPFB FMT 15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
 *
 *  |V=2|P|  FMT=15 |    PT=205     |           length              |
 *  |                     SSRC of packet sender                     |
 *  |                      SSRC of media source                     |
 *  |      base sequence number     |      packet status count      |
 *  |                 reference time                | fb pkt. count |
 *  |          packet chunk         |         packet chunk          |  ...
 *  |         recv delta            |  recv delta   | zero padding  |
 *
 * Packet status chunks (§3.1.2–3.1.4), 16 bits each:
 *   run length:     0 | S(2) | run length(13)
 *   status vector:  1 | 0 | 14 × 1-bit symbols (0 not received, 1 small delta)
 *                   1 | 1 | 7 × 2-bit symbols (00 not received, 01 small, 10 large, 11 reserved)
 * Receive deltas (§3.1.5) are in 250 µs ticks: small = 1 byte unsigned, large = 2 bytes signed.
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError, ParseError } from '@rtcwire/common';
import { beginPacket, checkU32, checkUint, endPacket, padToWord, RtcpPacketType, RtpfbFormat } from './header.js';

export interface TransportCcFeedback {
  readonly type: 'twcc';
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  readonly baseSequence: number;
  /** 24-bit reference time in multiples of 64 ms. */
  readonly referenceTime: number;
  /** 8-bit feedback packet counter. */
  readonly feedbackPacketCount: number;
  /**
   * One entry per packet from `baseSequence` on: the receive delta in 250 µs ticks relative to
   * the previous received packet (the first relative to `referenceTime`), or null when lost.
   */
  readonly deltas: readonly (number | null)[];
}

const NOT_RECEIVED = 0;
const SMALL = 1;
const LARGE = 2;

export function decodeTransportCc(r: ByteReader): TransportCcFeedback {
  const senderSsrc = r.u32();
  const mediaSsrc = r.u32();
  const baseSequence = r.u16();
  const count = r.u16();
  const referenceTime = r.u24();
  const feedbackPacketCount = r.u8();
  const symbols = new Uint8Array(count);
  let n = 0;
  while (n < count) {
    const chunkAt = r.offset;
    const chunk = r.u16();
    if ((chunk & 0x8000) === 0) {
      // §3.1.3 run length chunk
      const symbol = (chunk >> 13) & 0x03;
      if (symbol === 3) throw new ParseError('invalid_twcc', 'reserved status symbol', chunkAt);
      const run = Math.min(chunk & 0x1fff, count - n);
      symbols.fill(symbol, n, n + run);
      n += run;
    } else if ((chunk & 0x4000) === 0) {
      // §3.1.4 one-bit status vector, 14 symbols
      for (let i = 13; i >= 0 && n < count; i--) symbols[n++] = (chunk >> i) & 1;
    } else {
      for (let i = 6; i >= 0 && n < count; i--) {
        const symbol = (chunk >> (i * 2)) & 0x03;
        if (symbol === 3) throw new ParseError('invalid_twcc', 'reserved status symbol', chunkAt);
        symbols[n++] = symbol;
      }
    }
  }
  const deltas: (number | null)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const s = symbols[i];
    if (s === SMALL) deltas[i] = r.u8();
    else if (s === LARGE) deltas[i] = (r.u16() << 16) >> 16;
    else deltas[i] = null;
  }
  return { type: 'twcc', senderSsrc, mediaSsrc, baseSequence, referenceTime, feedbackPacketCount, deltas };
}

function symbolOf(delta: number | null): number {
  if (delta === null) return NOT_RECEIVED;
  if (!Number.isInteger(delta) || delta < -0x8000 || delta > 0x7fff) {
    throw new InvalidArgumentError(`TWCC delta ${delta} ticks outside signed 16 bits`);
  }
  return delta >= 0 && delta <= 0xff ? SMALL : LARGE;
}

export function encodeTransportCc(w: ByteWriter, p: TransportCcFeedback): void {
  checkU32(p.senderSsrc, 'senderSsrc');
  checkU32(p.mediaSsrc, 'mediaSsrc');
  checkUint(p.baseSequence, 0xffff, 'baseSequence');
  checkUint(p.referenceTime, 0xffffff, 'referenceTime');
  checkUint(p.feedbackPacketCount, 0xff, 'feedbackPacketCount');
  const count = p.deltas.length;
  checkUint(count, 0xffff, 'packet status count');
  const symbols = p.deltas.map(symbolOf);
  const at = beginPacket(w, RtpfbFormat.TRANSPORT_CC, RtcpPacketType.RTPFB);
  w.u32(p.senderSsrc).u32(p.mediaSsrc).u16(p.baseSequence).u16(count).u24(p.referenceTime).u8(p.feedbackPacketCount);
  writeChunks(w, symbols);
  for (let i = 0; i < count; i++) {
    const s = symbols[i];
    const d = p.deltas[i] as number;
    if (s === SMALL) w.u8(d);
    else if (s === LARGE) w.u16(d & 0xffff);
  }
  padToWord(w, at);
  endPacket(w, at);
}

/**
 * Greedy chunk choice: a run-length chunk for runs of ≥ 14 equal symbols (or ≥ 7 when a large
 * delta rules out the 14-symbol vector), else a 1-bit vector when the next 14 symbols need no large
 * delta, else a 2-bit vector of 7.
 */
function writeChunks(w: ByteWriter, symbols: readonly number[]): void {
  const count = symbols.length;
  let i = 0;
  while (i < count) {
    const first = symbols[i] as number;
    let run = 1;
    while (i + run < count && run < 0x1fff && symbols[i + run] === first) run++;
    const window = Math.min(14, count - i);
    let hasLarge = false;
    for (let k = 0; k < window; k++) if (symbols[i + k] === LARGE) hasLarge = true;
    if (run >= 14 || (hasLarge && run >= 7) || run === count - i) {
      w.u16((first << 13) | run);
      i += run;
    } else if (!hasLarge) {
      let chunk = 0x8000;
      for (let k = 0; k < 14; k++) chunk |= (i + k < count ? (symbols[i + k] as number) : 0) << (13 - k);
      w.u16(chunk);
      i += 14;
    } else {
      let chunk = 0xc000;
      for (let k = 0; k < 7; k++) chunk |= (i + k < count ? (symbols[i + k] as number) : 0) << (2 * (6 - k));
      w.u16(chunk);
      i += 7;
    }
  }
}
