import type { ReportBlock } from '@rtcwire/rtp';

/** What the remote's report blocks about one of our SSRCs said: the W3C `remote-inbound-rtp` stats. */
export interface RemoteReport {
  /** RFC 3550 §6.4.1 fraction lost since the previous report, 0..1. */
  fractionLost: number;
  packetsLost: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Round-trip time from the last report that echoed one of our SRs (LSR/DLSR), if any did. */
  roundTripTimeMs: number | undefined;
  totalRoundTripTimeMs: number;
  roundTripTimeMeasurements: number;
  reportsReceived: number;
  receivedAtMs: number;
}

/**
 * Fold one report block into the sender's remote report. `arrivalNtpMiddle32` is our wall clock at
 * arrival in compact NTP; RFC 3550 §6.4.1: RTT = A − LSR − DLSR (all in 1/65536 s).
 */
export function applyReportBlock(
  previous: RemoteReport | undefined,
  block: ReportBlock,
  arrivalNtpMiddle32: number,
  nowMs: number,
): RemoteReport {
  const next: RemoteReport = {
    fractionLost: block.fractionLost / 256,
    packetsLost: block.cumulativeLost,
    jitter: block.jitter,
    roundTripTimeMs: previous?.roundTripTimeMs,
    totalRoundTripTimeMs: previous?.totalRoundTripTimeMs ?? 0,
    roundTripTimeMeasurements: previous?.roundTripTimeMeasurements ?? 0,
    reportsReceived: (previous?.reportsReceived ?? 0) + 1,
    receivedAtMs: nowMs,
  };
  if (block.lastSr !== 0) {
    const rtt = (arrivalNtpMiddle32 - block.lastSr - block.delaySinceLastSr) >>> 0;
    // A negative difference (clock step, bogus block) wraps to a huge value: ignore it.
    if (rtt < 0x80000000) {
      const ms = (rtt * 1000) / 65536;
      next.roundTripTimeMs = ms;
      next.totalRoundTripTimeMs += ms;
      next.roundTripTimeMeasurements++;
    }
  }
  return next;
}
