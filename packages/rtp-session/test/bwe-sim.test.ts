import { describe, expect, it } from 'vitest';
import { runBweSim } from './bwe-sim.js';

const CLEAN = { latencyMs: 20, capacityBps: 50_000_000 };

describe('transport-cc feedback and the send-side bandwidth estimate', () => {
  it('rises on a clean link, every packet reported through RTCP bytes', () => {
    const r = runBweSim({ seed: 1, mode: 'twcc', phases: [{ fromMs: 0, forward: CLEAN }], durationMs: 20_000 });
    const [first] = r.estimates;
    const last = r.estimates[r.estimates.length - 1] as number;
    expect(last).toBeGreaterThan(3 * (first as number));
    // Monotone ramp: a clean link never signals overuse.
    for (let i = 1; i < r.estimates.length; i++) {
      expect(r.estimates[i]).toBeGreaterThanOrEqual(r.estimates[i - 1] as number);
    }
    expect(r.bwe.packetsLostReported).toBe(0);
    // Everything but the last ~feedback interval + RTT has been acknowledged.
    expect(r.bwe.packetsReported).toBeGreaterThan(r.packetsSent - 50);
    // ~50 ms cadence: about 20 messages per second.
    expect(r.feedbackMessages).toBeGreaterThan(19 * 18);
    expect(r.feedbackMessages).toBeLessThan(21 * 20);
  });

  it('falls when the bottleneck narrows and queueing delay grows', () => {
    const r = runBweSim({
      seed: 2,
      mode: 'twcc',
      phases: [
        { fromMs: 0, forward: CLEAN },
        { fromMs: 20_000, forward: { latencyMs: 20, capacityBps: 500_000 } },
      ],
      durationMs: 30_000,
    });
    const before = r.estimates[19] as number;
    expect(before).toBeGreaterThan(1_000_000);
    const after = r.estimates[29] as number;
    expect(after).toBeLessThan(0.8 * before);
    expect(after).toBeLessThan(700_000);
    expect(r.bwe.packetsLostReported).toBe(0);
  });

  it('falls under heavy loss (loss-based controller)', () => {
    const r = runBweSim({
      seed: 3,
      mode: 'twcc',
      phases: [
        { fromMs: 0, forward: CLEAN },
        { fromMs: 15_000, forward: { ...CLEAN, loss: 0.2 } },
      ],
      durationMs: 25_000,
    });
    const before = r.estimates[14] as number;
    const after = r.estimates[24] as number;
    expect(after).toBeLessThan(0.5 * before);
    expect(r.bwe.packetsLostReported).toBeGreaterThan(0);
  });
});

describe('REMB for peers without transport-cc', () => {
  it('rises on a clean link and falls when the bottleneck narrows', () => {
    const r = runBweSim({
      seed: 4,
      mode: 'remb',
      phases: [
        { fromMs: 0, forward: CLEAN },
        { fromMs: 20_000, forward: { latencyMs: 20, capacityBps: 500_000 } },
      ],
      durationMs: 30_000,
    });
    const before = r.estimates[19] as number;
    expect(before).toBeGreaterThan(3 * 300_000);
    expect(r.estimates[29]).toBeLessThan(0.8 * before);
    expect(r.remb.rembSent).toBeGreaterThan(25);
  });
});
