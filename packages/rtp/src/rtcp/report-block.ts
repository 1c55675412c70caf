/**
 * Reception report blocks carried by SR and RR (RFC 3550 §6.4.1), 24 bytes each.
 *
 *  |                 SSRC of source being reported                 |
 *  | fraction lost |       cumulative number of packets lost       |
 *  |           extended highest sequence number received           |
 *  |                      interarrival jitter                      |
 *  |                         last SR (LSR)                         |
 *  |                   delay since last SR (DLSR)                  |
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError } from '@rtcwire/common';
import { checkU32, checkUint } from './header.js';

export const REPORT_BLOCK_SIZE = 24;

export interface ReportBlock {
  readonly ssrc: number;
  /** Fraction lost since the previous report, as a fixed-point fraction of 256. */
  readonly fractionLost: number;
  /** Cumulative packets lost; signed 24-bit (negative with duplicates). */
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  readonly jitter: number;
  /** Middle 32 bits of the last SR's NTP timestamp (0 if none). */
  readonly lastSr: number;
  /** Delay since that SR in 1/65536 s. */
  readonly delaySinceLastSr: number;
}

export function readReportBlock(r: ByteReader): ReportBlock {
  const ssrc = r.u32();
  const fractionLost = r.u8();
  const lost = r.u24();
  return {
    ssrc,
    fractionLost,
    cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
    extendedHighestSequence: r.u32(),
    jitter: r.u32(),
    lastSr: r.u32(),
    delaySinceLastSr: r.u32(),
  };
}

export function writeReportBlock(w: ByteWriter, b: ReportBlock): void {
  checkU32(b.ssrc, 'report block ssrc');
  checkUint(b.fractionLost, 0xff, 'fractionLost');
  if (!Number.isInteger(b.cumulativeLost) || b.cumulativeLost < -0x800000 || b.cumulativeLost > 0x7fffff) {
    throw new InvalidArgumentError(`cumulativeLost ${b.cumulativeLost} outside signed 24 bits`);
  }
  checkU32(b.extendedHighestSequence, 'extendedHighestSequence');
  checkU32(b.jitter, 'jitter');
  checkU32(b.lastSr, 'lastSr');
  checkU32(b.delaySinceLastSr, 'delaySinceLastSr');
  w.u32(b.ssrc)
    .u8(b.fractionLost)
    .u24(b.cumulativeLost & 0xffffff)
    .u32(b.extendedHighestSequence)
    .u32(b.jitter)
    .u32(b.lastSr)
    .u32(b.delaySinceLastSr);
}

export function readReportBlocks(r: ByteReader, count: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count; i++) blocks.push(readReportBlock(r));
  return blocks;
}
