import { describe, expect, it } from 'vitest';
import { TrackTimeline, alignOnSenderClock, anchorOnArrival, anchorOnSenderClock } from '../src/index.js';

describe('TrackTimeline', () => {
  it('unwraps RTP time across the 32-bit wrap and remembers the first frame', () => {
    const t = new TrackTimeline(90000);
    const a = t.rtpMs(0xffffff00, 100);
    const b = t.rtpMs(0x00000100, 999);
    expect(b - a).toBeCloseTo((0x200 * 1000) / 90000, 6);
    expect(t.first).toEqual({ rtpMs: a, arrivalMs: 100 });
  });

  it('anchors on arrival: the first frame lands at its arrival time', () => {
    const t = new TrackTimeline(48000);
    const first = t.rtpMs(4800, 250);
    anchorOnArrival([t]);
    expect(t.mediaTimeMs(first)).toBe(250);
    expect(t.mediaTimeMs(t.rtpMs(4800 + 960))).toBeCloseTo(270, 9);
  });

  it('anchors on the sender clock: frames captured together land together, earliest at 0', () => {
    const video = new TrackTimeline(90000);
    const audio = new TrackTimeline(48000);
    const v0 = video.rtpMs(9000, 0);
    const a0 = audio.rtpMs(4800, 60); // arrived 60 ms later, captured at the same instant
    video.handleSenderReport(1000, 9000);
    audio.handleSenderReport(1000, 4800);
    expect(anchorOnSenderClock([video, audio])).toBe(true);
    expect(video.mediaTimeMs(v0)).toBeCloseTo(0, 9);
    expect(audio.mediaTimeMs(a0)).toBeCloseTo(0, 9);
  });

  it('needs a report for every track before anchoring on the sender clock', () => {
    const a = new TrackTimeline(90000);
    const b = new TrackTimeline(48000);
    a.rtpMs(0, 0);
    b.rtpMs(0, 0);
    a.handleSenderReport(5000, 0);
    expect(anchorOnSenderClock([a, b])).toBe(false);
    expect(a.anchored).toBe(false);
  });

  it('after an arrival start, moves tracks forward only, and refuses implausible shifts', () => {
    const video = new TrackTimeline(90000);
    const audio = new TrackTimeline(48000);
    video.rtpMs(9000, 0);
    audio.rtpMs(4800, 30);
    anchorOnArrival([video, audio]);
    video.handleSenderReport(1000, 9000);
    audio.handleSenderReport(1000, 4800);
    expect(alignOnSenderClock([video, audio])).toEqual([30, 0]);
    const far = new TrackTimeline(90000);
    const other = new TrackTimeline(48000);
    far.rtpMs(0, 0);
    other.rtpMs(0, 0);
    anchorOnArrival([far, other]);
    far.handleSenderReport(5000, 0);
    other.handleSenderReport(0, 0);
    expect(alignOnSenderClock([far, other], 1000)).toEqual([]);
    expect(far.currentOffsetMs).toBe(0);
  });
});
