/**
 * Receiver report, PT 201 (RFC 3550 §6.4.2).
 *
 *  |V=2|P|    RC   |   PT=RR=201   |             length            |
 *  |                     SSRC of packet sender                     |
 *  |                 report blocks (RC × 24 bytes)                 |
 *  |                  profile-specific extensions                  |
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError } from '@rtcwire/common';
import { beginPacket, checkU32, endPacket, RtcpPacketType } from './header.js';
import { type ReportBlock, readReportBlocks, writeReportBlock } from './report-block.js';

export interface ReceiverReport {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];
  readonly profileExtension: Uint8Array;
}

export function decodeReceiverReport(r: ByteReader, count: number): ReceiverReport {
  const ssrc = r.u32();
  const reports = readReportBlocks(r, count);
  return { type: 'rr', ssrc, reports, profileExtension: r.rest() };
}

export function encodeReceiverReport(w: ByteWriter, p: ReceiverReport): void {
  if (p.reports.length > 31) throw new InvalidArgumentError(`${p.reports.length} report blocks (max 31 per RR)`);
  if (p.profileExtension.length % 4 !== 0) throw new InvalidArgumentError('profileExtension is not word-aligned');
  checkU32(p.ssrc, 'ssrc');
  const at = beginPacket(w, p.reports.length, RtcpPacketType.RR);
  w.u32(p.ssrc);
  for (const b of p.reports) writeReportBlock(w, b);
  w.bytes(p.profileExtension);
  endPacket(w, at);
}
