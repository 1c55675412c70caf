import { Unwrapper } from '@rtcwire/common';

/**
 * Maps one track's RTP timestamps to recording time in ms:  media = rtpMs + offsetMs, where rtpMs is the
 * unwrapped RTP timestamp in ms. The offset is set once (`anchor`): from RTCP sender reports when every
 * track has one (RFC 3550 §6.4.1: all tracks of a sender share its NTP clock), else from arrival times.
 */
export class TrackTimeline {
  private readonly unwrapper = new Unwrapper(32);
  private offsetMs: number | undefined;
  /** NTP time (ms) at unwrapped RTP timestamp 0, from the latest sender report. */
  ntpAtRtpZeroMs: number | undefined;
  /** The first frame seen: its unwrapped RTP time and arrival (ms since the recording started). */
  first: { rtpMs: number; arrivalMs: number } | undefined;

  constructor(readonly clockRate: number) {}

  /** Unwrap an RTP timestamp (across 2^32) and convert it to ms; remembers the first frame. */
  rtpMs(rtpTimestamp: number, arrivalMs?: number): number {
    const ms = (this.unwrapper.unwrap(rtpTimestamp) * 1000) / this.clockRate;
    if (arrivalMs !== undefined && this.first === undefined) this.first = { rtpMs: ms, arrivalMs };
    return ms;
  }

  get anchored(): boolean {
    return this.offsetMs !== undefined;
  }

  get currentOffsetMs(): number | undefined {
    return this.offsetMs;
  }

  anchor(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  /** Recording time of an unwrapped RTP time; the track must be anchored. */
  mediaTimeMs(rtpMs: number): number {
    return rtpMs + (this.offsetMs ?? 0);
  }

  /** RFC 3550 §6.4.1: an SR pairs an NTP time with the RTP timestamp of the same instant. */
  handleSenderReport(ntpMs: number, rtpTimestamp: number): void {
    this.ntpAtRtpZeroMs = ntpMs - this.rtpMs(rtpTimestamp);
  }

  shiftForward(ms: number): void {
    if (this.offsetMs !== undefined && ms > 0) this.offsetMs += ms;
  }
}

/**
 * Anchor every track on the sender clock: the earliest first frame (by capture time) lands at 0.
 * Returns false (anchoring nothing) unless every track has a sender report and a first frame.
 */
export function anchorOnSenderClock(timelines: readonly TrackTimeline[]): boolean {
  let origin = Number.POSITIVE_INFINITY;
  for (const t of timelines) {
    if (t.ntpAtRtpZeroMs === undefined || t.first === undefined) return false;
    origin = Math.min(origin, t.ntpAtRtpZeroMs + t.first.rtpMs);
  }
  for (const t of timelines) t.anchor((t.ntpAtRtpZeroMs as number) - origin);
  return true;
}

/** Anchor each track so that its first frame lands at its arrival time (the fallback without SRs). */
export function anchorOnArrival(timelines: readonly TrackTimeline[]): void {
  for (const t of timelines) if (t.first && !t.anchored) t.anchor(t.first.arrivalMs - t.first.rtpMs);
}

/**
 * After recording started on arrival times: move tracks onto the sender clock once every track has an
 * SR — only forward, so times stay monotonic (a track placed too early gets a small gap, never overlap).
 * Returns the shifts, [] when they exceed `maxShiftMs` (reports from different clocks), undefined if not ready.
 */
export function alignOnSenderClock(timelines: readonly TrackTimeline[], maxShiftMs = 1000): number[] | undefined {
  let c = Number.POSITIVE_INFINITY;
  for (const t of timelines) {
    if (t.ntpAtRtpZeroMs === undefined || t.currentOffsetMs === undefined) return undefined;
    c = Math.min(c, t.ntpAtRtpZeroMs - t.currentOffsetMs);
  }
  const shifts = timelines.map((t) => (t.ntpAtRtpZeroMs as number) - (t.currentOffsetMs as number) - c);
  if (shifts.some((s) => s > maxShiftMs)) return [];
  for (const [i, t] of timelines.entries()) t.shiftForward(shifts[i] as number);
  return shifts;
}
