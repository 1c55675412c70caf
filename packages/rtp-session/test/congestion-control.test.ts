import { buildTransportCcFeedback } from '@rtcwire/rtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AimdRateControl,
  DelayDetector,
  linearSlope,
  RembGenerator,
  SendSideBandwidthEstimator,
} from '../src/index.js';

describe('delay-based detector (GCC)', () => {
  it('fits a least-squares slope', () => {
    expect(linearSlope([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 1 })))).toBeCloseTo(2, 12);
    expect(linearSlope([{ x: 1, y: 5 }])).toBe(0);
  });

  it('stays normal with constant delay and signals overuse when delay keeps growing', () => {
    const flat = new DelayDetector();
    for (let i = 0; i < 400; i++) flat.handlePacket(i * 10, i * 10 + 50, 1000);
    expect(flat.state).toBe('normal');
    const growing = new DelayDetector();
    let sawOveruse = false;
    for (let i = 0; i < 400; i++) {
      growing.handlePacket(i * 10, i * 10 + 50 + i * 2, 1000); // +2 ms queueing per packet
      if (growing.state === 'overusing') sawOveruse = true;
    }
    expect(sawOveruse).toBe(true);
    const draining = new DelayDetector();
    let sawUnderuse = false;
    for (let i = 0; i < 400; i++) {
      draining.handlePacket(i * 10, i * 10 + Math.max(0, 800 - i * 4), 1000);
      if (draining.state === 'underusing') sawUnderuse = true;
    }
    expect(sawUnderuse).toBe(true);
  });

  it('property: timestamps in any range never produce a non-finite trend', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }))),
        (pts) => {
          const d = new DelayDetector();
          for (const [s, a] of pts) d.handlePacket(s, a, 1000);
          expect(Number.isFinite(d.trend)).toBe(true);
        },
      ),
    );
  });
});

describe('AIMD rate control', () => {
  it('increases 8 %/s, cuts to 0.85 × received on overuse, holds on underuse, within bounds', () => {
    const c = new AimdRateControl({ initialBitrate: 1_000_000, minBitrate: 100_000, maxBitrate: 2_000_000 });
    c.update(0, 'normal', undefined);
    expect(c.update(1000, 'normal', undefined)).toBeCloseTo(1_081_000, -2);
    expect(c.update(1100, 'overusing', 900_000)).toBeCloseTo(765_000, 0);
    expect(c.update(2100, 'underusing', 900_000)).toBeCloseTo(765_000, 0);
    for (let t = 2200; t < 60_000; t += 100) c.update(t, 'normal', undefined);
    expect(c.bitrate).toBe(2_000_000);
    expect(c.update(60_100, 'overusing', 1000)).toBe(100_000);
  });
});

describe('SendSideBandwidthEstimator', () => {
  it('ignores feedback for unknown or already acknowledged packets', () => {
    const bwe = new SendSideBandwidthEstimator();
    for (let i = 0; i < 10; i++) bwe.handlePacketSent(i, bwe.allocateSequence(), 1000);
    const fb = buildTransportCcFeedback({
      senderSsrc: 1,
      mediaSsrc: 2,
      feedbackPacketCount: 0,
      packets: Array.from({ length: 10 }, (_, i) => ({ sequence: i, arrivalTimeUs: (i + 20) * 1000 })),
    });
    for (const f of fb) bwe.handleFeedback(40, f);
    for (const f of fb) bwe.handleFeedback(41, f);
    expect(bwe.packetsReported).toBe(10);
    const unknown = buildTransportCcFeedback({
      senderSsrc: 1,
      mediaSsrc: 2,
      feedbackPacketCount: 1,
      packets: [{ sequence: 5000, arrivalTimeUs: undefined }],
    });
    for (const f of unknown) bwe.handleFeedback(42, f);
    expect(bwe.packetsReported).toBe(10);
    expect(bwe.packetsLostReported).toBe(0);
  });

  it('matches feedback to sent packets across the 16-bit wrap', () => {
    const bwe = new SendSideBandwidthEstimator();
    for (let i = 0; i < 65_530; i++) bwe.allocateSequence();
    for (let i = 0; i < 16; i++) bwe.handlePacketSent(i, bwe.allocateSequence(), 1000);
    const packets = Array.from({ length: 16 }, (_, i) => ({
      sequence: (65_530 + i) & 0xffff,
      arrivalTimeUs: (i + 20) * 1000,
    }));
    for (const f of buildTransportCcFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets })) {
      bwe.handleFeedback(40, f);
    }
    expect(bwe.packetsReported).toBe(16);
  });

  it('a packet first reported lost and then received is not counted lost', () => {
    const bwe = new SendSideBandwidthEstimator();
    for (let i = 0; i < 3; i++) bwe.handlePacketSent(i, bwe.allocateSequence(), 1000);
    const mk = (packets: { sequence: number; arrivalTimeUs: number | undefined }[], n: number) =>
      buildTransportCcFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: n, packets });
    for (const f of mk(
      [
        { sequence: 0, arrivalTimeUs: 20_000 },
        { sequence: 1, arrivalTimeUs: undefined },
        { sequence: 2, arrivalTimeUs: 22_000 },
      ],
      0,
    )) {
      bwe.handleFeedback(30, f);
    }
    expect(bwe.packetsLostReported).toBe(1);
    for (const f of mk([{ sequence: 1, arrivalTimeUs: 25_000 }], 1)) bwe.handleFeedback(60, f);
    expect(bwe.packetsLostReported).toBe(0);
  });
});

describe('RembGenerator', () => {
  it('reports every interval with the SSRCs seen, and at once on a drop', () => {
    const g = new RembGenerator({ senderSsrc: 7, intervalMs: 1000, initialBitrate: 500_000 });
    g.handlePacket(0, 0, 1000, 0x10);
    g.handlePacket(1, 1, 1000, 0x20);
    expect(g.pollTimeout()).toBe(1000);
    g.handleTimeout(1000);
    const first = g.pollRemb();
    expect(first).toMatchObject({ type: 'remb', senderSsrc: 7, mediaSsrc: 0, ssrcs: [0x10, 0x20] });
    expect(first?.bitrate).toBeGreaterThanOrEqual(500_000);
    expect(first?.bitrate).toBeLessThan(501_000);
    // Then queueing delay grows steeply: the estimate drops and a REMB goes out before the next interval.
    let at: number | undefined;
    for (let i = 0; i < 2000 && at === undefined; i++) {
      const now = 1001 + i * 5;
      g.handlePacket(now, 1001 + i * 5 - i * 3, 1000, 0x10);
      g.handleTimeout(now);
      if (g.pollRemb()) at = now;
    }
    expect(at).toBeDefined();
    expect(g.estimate).toBeLessThan(500_000);
  });

  it('unwraps the 64 s abs-send-time clock', () => {
    const wrapped = new RembGenerator({ senderSsrc: 1 });
    const linear = new RembGenerator({ senderSsrc: 1, sendTimeWrapMs: 0 });
    for (let i = 0; i < 3000; i++) {
      wrapped.handlePacket(i * 10, (63_000 + i * 10) % 64_000, 1000, 1);
      linear.handlePacket(i * 10, 63_000 + i * 10, 1000, 1);
    }
    expect(wrapped.estimate).toBe(linear.estimate);
    expect(wrapped.estimate).toBeGreaterThan(300_000);
  });
});

describe('SendSideBandwidthEstimator on hostile feedback', () => {
  it('property: arbitrary feedback never throws and keeps the estimate within bounds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            baseSequence: fc.integer({ min: 0, max: 0xffff }),
            referenceTime: fc.integer({ min: 0, max: 0xffffff }),
            deltas: fc.array(fc.option(fc.integer({ min: -0x8000, max: 0x7fff }), { nil: null }), { maxLength: 60 }),
          }),
          { maxLength: 30 },
        ),
        (feedbacks) => {
          const bwe = new SendSideBandwidthEstimator({ minBitrate: 50_000, maxBitrate: 5_000_000 });
          for (let i = 0; i < 200; i++) bwe.handlePacketSent(i * 5, bwe.allocateSequence(), 1200);
          let now = 1000;
          for (const f of feedbacks) {
            now += 50;
            bwe.handleFeedback(now, {
              type: 'twcc',
              senderSsrc: 1,
              mediaSsrc: 2,
              feedbackPacketCount: 0,
              ...f,
            });
            expect(bwe.availableOutgoingBitrate).toBeGreaterThanOrEqual(50_000);
            expect(bwe.availableOutgoingBitrate).toBeLessThanOrEqual(5_000_000);
          }
        },
      ),
    );
  });
});
