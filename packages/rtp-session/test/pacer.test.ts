import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pacer } from '../src/index.js';

describe('Pacer', () => {
  it('sends at pacing factor × target over time', () => {
    const p = new Pacer<number>({ bitrate: 1_000_000, pacingFactor: 2 });
    for (let i = 0; i < 1000; i++) p.enqueue(0, i, 1000);
    let sent = 0;
    for (let now = 0; now <= 1000; now++) while (p.poll(now) !== undefined) sent++;
    // 2 Mbit/s = 250 bytes/ms → 250 packets of 1000 bytes per second, plus the initial burst.
    expect(sent).toBeGreaterThanOrEqual(250);
    expect(sent).toBeLessThanOrEqual(255);
    expect(p.queueDelay(1000)).toBe(1000);
  });

  it('sends high priority first', () => {
    const p = new Pacer<string>({ bitrate: 10_000_000 });
    p.enqueue(0, 'video', 100);
    p.enqueue(0, 'rtx', 100, 'high');
    expect([p.poll(0), p.poll(0)]).toEqual(['rtx', 'video']);
  });

  it('tells when the next packet may leave', () => {
    const p = new Pacer<number>({ bitrate: 800_000, pacingFactor: 1, maxBurstMs: 0, intervalMs: 5 });
    p.enqueue(0, 1, 1000);
    p.enqueue(0, 2, 1000);
    expect(p.poll(0)).toBe(1); // budget goes negative by one packet
    expect(p.poll(0)).toBeUndefined();
    expect(p.pollTimeout()).toBe(10); // 1000 bytes at 100 bytes/ms
    expect(p.poll(9)).toBeUndefined();
    expect(p.poll(10)).toBe(2);
    expect(p.pollTimeout()).toBeUndefined();
  });

  it('property: never exceeds the rate by more than one burst and one packet', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100_000, max: 5_000_000 }),
        fc.integer({ min: 100, max: 1500 }),
        (bitrate, size) => {
          const p = new Pacer<number>({ bitrate, pacingFactor: 1, maxBurstMs: 10 });
          for (let i = 0; i < 2000; i++) p.enqueue(0, i, size);
          let bytes = 0;
          for (let now = 0; now <= 500; now++)
            for (let x = p.poll(now); x !== undefined; x = p.poll(now)) bytes += size;
          expect(bytes).toBeLessThanOrEqual((bitrate / 8000) * 510 + size);
        },
      ),
    );
  });
});
