import { Unwrapper } from '@rtcwire/common';

/**
 * Maps one track's RTP timestamps to recording time in ms:  media = rtp_unwrapped * 1000 / clockRate + offsetMs.
 *
 * The offset starts from the arrival time of the track's first frame (the fallback when no RTCP sender
 * report arrives). Once every track has a sender report, `SyncGroup` moves the offsets to the senders'
 * common NTP clock (RFC 3550 §6.4.1) — only ever forward, so each track's times stay monotonic: a track
 * that had been placed too early gets a small gap instead of overlapping frames.
 */
export class TrackTimeline {
  private readonly unwrapper = new Unwrapper(32);
  private offsetMs: number | undefined;
  /** NTP time (ms) at unwrapped RTP timestamp 0, from the latest sender report. */
  ntpAtRtpZeroMs: number | undefined;

  constructor(readonly clockRate: number) {}

  get started(): boolean {
    return this.offsetMs !== undefined;
  }

  /** Media time of a frame; the first call anchors the track at `arrivalMs` (ms since recording start). */
  mediaTimeMs(rtpTimestamp: number, arrivalMs: number): number {
    const rtpMs = (this.unwrapper.unwrap(rtpTimestamp) * 1000) / this.clockRate;
    if (this.offsetMs === undefined) this.offsetMs = arrivalMs - rtpMs;
    return rtpMs + this.offsetMs;
  }

  /** RFC 3550 §6.4.1: an SR pairs an NTP time with the RTP timestamp of the same instant. */
  handleSenderReport(ntpMs: number, rtpTimestamp: number): void {
    const rtpMs = (this.unwrapper.unwrap(rtpTimestamp) * 1000) / this.clockRate;
    this.ntpAtRtpZeroMs = ntpMs - rtpMs;
  }

  get currentOffsetMs(): number | undefined {
    return this.offsetMs;
  }

  shiftForward(ms: number): void {
    if (this.offsetMs !== undefined && ms > 0) this.offsetMs += ms;
  }
}

/**
 * Aligns several timelines on the sender's NTP clock once each has a sender report and has started.
 * Returns the applied shifts (ms) per track, or undefined when not (yet) possible. Applied once.
 */
export function alignOnSenderClock(timelines: readonly TrackTimeline[], maxShiftMs = 1000): number[] | undefined {
  if (timelines.length < 2) return undefined;
  // Desired: offset_i = ntpZero_i - C for a common C. Forward-only: C = min_i(ntpZero_i - offset_i).
  let c = Number.POSITIVE_INFINITY;
  for (const t of timelines) {
    if (t.ntpAtRtpZeroMs === undefined || t.currentOffsetMs === undefined) return undefined;
    c = Math.min(c, t.ntpAtRtpZeroMs - t.currentOffsetMs);
  }
  const shifts = timelines.map((t) => (t.ntpAtRtpZeroMs as number) - (t.currentOffsetMs as number) - c);
  // Shifts far beyond network jitter mean the reports do not share one clock (e.g. two senders): keep arrival times.
  if (shifts.some((s) => s > maxShiftMs)) return [];
  for (const [i, t] of timelines.entries()) t.shiftForward(shifts[i] as number);
  return shifts;
}
