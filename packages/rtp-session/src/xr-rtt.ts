/**
 * Round-trip time for a receive-only endpoint (RFC 3611 §4.4, §4.5): the receiver sends a
 * Receiver Reference Time (RRTR) block in an XR; the media sender answers with a DLRR sub-block
 * (LRR = middle 32 bits of that NTP time, DLRR = delay since it arrived); RTT = A − LRR − DLRR,
 * as for SR/RR. Without it a peer that only receives has no RTT to time its NACK retries.
 */
import {
  type DlrrSubBlock,
  type ExtendedReport,
  msToCompactNtp,
  ntpFromUnixMs,
  ntpMiddle32,
  roundTripTimeMs,
} from '@rtcwire/rtp';

/** Receiver side: build RRTR, compute RTT from the DLRR that answers it. */
export class XrRttReceiver {
  roundTripTimeMs: number | undefined;

  constructor(readonly ssrc: number) {}

  /** An XR with our reference time, to add to each compound RTCP report. */
  referenceTimeReport(unixMs: number): ExtendedReport {
    return { type: 'xr', ssrc: this.ssrc, blocks: [{ kind: 'rrtr', ntpTimestamp: ntpFromUnixMs(unixMs) }] };
  }

  /** An XR arrived at wall-clock `unixMs`; returns the RTT when it carried a DLRR for us. */
  handleExtendedReport(unixMs: number, xr: ExtendedReport): number | undefined {
    for (const block of xr.blocks) {
      if (block.kind !== 'dlrr') continue;
      const sub = block.subBlocks.find((s) => s.ssrc === this.ssrc);
      if (!sub) continue;
      const rtt = roundTripTimeMs(ntpMiddle32(ntpFromUnixMs(unixMs)), sub.lastRr, sub.delaySinceLastRr);
      if (rtt !== undefined) this.roundTripTimeMs = rtt;
      return rtt;
    }
    return undefined;
  }
}

/** Media-sender side: remember each receiver's last RRTR and answer with DLRR sub-blocks. */
export class XrRttResponder {
  private readonly last = new Map<number, { lastRr: number; at: number }>();

  handleExtendedReport(now: number, xr: ExtendedReport): void {
    for (const block of xr.blocks) {
      if (block.kind === 'rrtr') this.last.set(xr.ssrc >>> 0, { lastRr: ntpMiddle32(block.ntpTimestamp), at: now });
    }
  }

  /** DLRR sub-blocks for our next XR (empty when no RRTR was received). */
  dlrrSubBlocks(now: number): DlrrSubBlock[] {
    return [...this.last].map(([ssrc, r]) => ({
      ssrc,
      lastRr: r.lastRr,
      delaySinceLastRr: msToCompactNtp(now - r.at),
    }));
  }

  /** The XR to send from `ssrc`, or undefined when there is nothing to answer. */
  responseReport(now: number, ssrc: number): ExtendedReport | undefined {
    const subBlocks = this.dlrrSubBlocks(now);
    if (subBlocks.length === 0) return undefined;
    return { type: 'xr', ssrc, blocks: [{ kind: 'dlrr', subBlocks }] };
  }
}
