/**
 * Sender report, PT 200 (RFC 3550 §6.4.1).
 *
 *  |V=2|P|    RC   |   PT=SR=200   |             length            |
 *  |                         SSRC of sender                        |
 *  |              NTP timestamp, most significant word             |
 *  |             NTP timestamp, least significant word             |
 *  |                         RTP timestamp                         |
 *  |                     sender's packet count                     |
 *  |                      sender's octet count                     |
 *  |                 report blocks (RC × 24 bytes)                 |
 *  |                  profile-specific extensions                  |
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError } from '@rtcwire/common';
import { beginPacket, checkU32, endPacket, RtcpPacketType } from './header.js';
import { type ReportBlock, readReportBlocks, writeReportBlock } from './report-block.js';

export interface SenderReport {
  readonly type: 'sr';
  readonly ssrc: number;
  /** 64-bit NTP timestamp of the report (see ntpFromUnixMs). */
  readonly ntpTimestamp: bigint;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReportBlock[];
  /** Profile-specific extension bytes after the report blocks (a multiple of 4; usually empty). */
  readonly profileExtension: Uint8Array;
}

export function decodeSenderReport(r: ByteReader, count: number): SenderReport {
  const ssrc = r.u32();
  const ntpTimestamp = r.u64();
  const rtpTimestamp = r.u32();
  const packetCount = r.u32();
  const octetCount = r.u32();
  const reports = readReportBlocks(r, count);
  return { type: 'sr', ssrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount, reports, profileExtension: r.rest() };
}

export function encodeSenderReport(w: ByteWriter, p: SenderReport): void {
  if (p.reports.length > 31) throw new InvalidArgumentError(`${p.reports.length} report blocks (max 31 per SR)`);
  if (p.profileExtension.length % 4 !== 0) throw new InvalidArgumentError('profileExtension is not word-aligned');
  checkU32(p.ssrc, 'ssrc');
  checkU32(p.rtpTimestamp, 'rtpTimestamp');
  checkU32(p.packetCount, 'packetCount');
  checkU32(p.octetCount, 'octetCount');
  if (p.ntpTimestamp < 0n || p.ntpTimestamp > 0xffffffffffffffffn) throw new InvalidArgumentError('ntpTimestamp');
  const at = beginPacket(w, p.reports.length, RtcpPacketType.SR);
  w.u32(p.ssrc).u64(p.ntpTimestamp).u32(p.rtpTimestamp).u32(p.packetCount).u32(p.octetCount);
  for (const b of p.reports) writeReportBlock(w, b);
  w.bytes(p.profileExtension);
  endPacket(w, at);
}
