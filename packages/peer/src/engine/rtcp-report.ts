import type { Millis } from '@rtcwire/common';
import type { RtcpPacket } from '@rtcwire/rtp';
import { XrRttReceiver, XrRttResponder } from '@rtcwire/rtp-session';
import type { Transceiver } from './transceiver.js';

/**
 * Our periodic compound RTCP (RFC 3550 §6.1): an SR per sending SSRC (or one RR when we only
 * receive) with a report block per received stream, SDES CNAME, and RFC 3611 XR for round-trip time
 * when we only receive (RRTR §4.4, answered by the sender's DLRR §4.5) — the RTT our NACK retries need.
 */
export class RtcpReporter {
  private xrReceiver: XrRttReceiver | undefined;
  private readonly xrResponder = new XrRttResponder();

  /** An XR arrived: remember RRTRs to answer, take the RTT from a DLRR for us. */
  handleExtendedReport(now: Millis, unixMs: number, xr: Extract<RtcpPacket, { type: 'xr' }>): number | undefined {
    this.xrResponder.handleExtendedReport(now, xr);
    return this.xrReceiver?.handleExtendedReport(unixMs, xr);
  }

  build(now: Millis, unixMs: number, transceivers: readonly Transceiver[]): RtcpPacket[] | undefined {
    const all = transceivers.filter((t) => t.mid !== null && !t.stopped);
    if (all.length === 0) return undefined;
    // RFC 3550 §6.4: at most 31 report blocks in one SR/RR.
    const blocks = all.flatMap((t) => [...t.receiver.streams.values()].map((s) => s.reportBlock(now))).slice(0, 31);
    const packets: RtcpPacket[] = [];
    const senders = all.filter((t) => t.sender.stream.statistics.active);
    for (const [i, t] of senders.entries())
      packets.push(t.sender.stream.senderReport(now, unixMs, i === 0 ? blocks : []));
    const reporter = (all[0] as Transceiver).sender;
    if (senders.length === 0) {
      if (blocks.length === 0) return undefined;
      packets.push({ type: 'rr', ssrc: reporter.ssrc, reports: blocks, profileExtension: new Uint8Array(0) });
    }
    // RFC 3550 §6.5.1: CNAME (SDES item type 1) for every SSRC we report from.
    const ssrcs = [...new Set([reporter.ssrc, ...senders.map((t) => t.sender.ssrc)])];
    packets.push({ type: 'sdes', chunks: ssrcs.map((ssrc) => ({ ssrc, items: [{ type: 1, text: reporter.cname }] })) });
    if (senders.length === 0) {
      if (this.xrReceiver?.ssrc !== reporter.ssrc) this.xrReceiver = new XrRttReceiver(reporter.ssrc);
      packets.push(this.xrReceiver.referenceTimeReport(unixMs));
    }
    const dlrr = this.xrResponder.responseReport(now, reporter.ssrc);
    if (dlrr) packets.push(dlrr);
    return packets;
  }
}
