import { describe, expect, it } from 'vitest';
import { TrackTimeline, alignOnSenderClock } from '../src/index.js';

describe('TrackTimeline', () => {
  it('anchors on arrival and follows RTP time across the 32-bit wrap', () => {
    const t = new TrackTimeline(90000);
    expect(t.mediaTimeMs(0xffffff00, 100)).toBe(100);
    expect(t.mediaTimeMs(0x00000100, 999)).toBeCloseTo(100 + (0x200 * 1000) / 90000, 6);
  });

  it('aligns on the sender clock, moving tracks only forward', () => {
    const video = new TrackTimeline(90000);
    const audio = new TrackTimeline(48000);
    video.mediaTimeMs(9000, 0); // video arrived at 0 ms
    audio.mediaTimeMs(4800, 30); // audio arrived 30 ms later
    // Both captured at the same NTP instant (1000 ms) with those RTP timestamps.
    video.handleSenderReport(1000, 9000);
    audio.handleSenderReport(1000, 4800);
    expect(alignOnSenderClock([video, audio])).toEqual([30, 0]);
    expect(video.mediaTimeMs(9000 + 90, 0)).toBeCloseTo(31, 9);
    expect(audio.mediaTimeMs(4800 + 48, 0)).toBeCloseTo(31, 9);
  });

  it('waits for every track, and refuses shifts beyond the limit', () => {
    const a = new TrackTimeline(90000);
    const b = new TrackTimeline(48000);
    a.mediaTimeMs(0, 0);
    b.mediaTimeMs(0, 0);
    a.handleSenderReport(5000, 0);
    expect(alignOnSenderClock([a, b])).toBeUndefined();
    b.handleSenderReport(0, 0);
    expect(alignOnSenderClock([a, b], 1000)).toEqual([]);
    expect(a.currentOffsetMs).toBe(0);
  });
});
