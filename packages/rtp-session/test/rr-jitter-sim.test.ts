import { seededRandom } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { ReceiveStatistics } from '../src/index.js';

describe('RR interarrival jitter against the simulator truth', () => {
  it('converges to E|D| = J/3 for uniform network delay jitter J (RFC 3550 A.8)', () => {
    // 20 ms audio packets at 8 kHz, delay 25 ms + U(0, J) with J = 12 ms < 20 ms (no reordering),
    // 3 % loss; for two independent U(0, J) delays E|d1 − d2| = J/3.
    const random = seededRandom(2024);
    const J = 12;
    const stats = new ReceiveStatistics(7, 8000);
    const rrJitter: number[] = [];
    const lostSeqs = new Set<number>();
    let highest = 0;
    let prevHighest = 0;
    for (let i = 1; i <= 3000; i++) {
      if (random.float() < 0.03) {
        lostSeqs.add(i);
      } else {
        stats.handlePacket(i * 20 + 25 + random.float() * J, i, (i * 160) >>> 0, 172);
        highest = i;
      }
      if (i % 50 === 0) {
        const b = stats.reportBlock(i * 20 + 40);
        if (i > 500) rrJitter.push(b.jitter);
        // Truth: of the sequence numbers up to the highest received, the share the channel dropped.
        let dropped = 0;
        for (let s = prevHighest + 1; s <= highest; s++) if (lostSeqs.has(s)) dropped++;
        expect(Math.abs(b.fractionLost / 256 - dropped / (highest - prevHighest))).toBeLessThan(0.01);
        prevHighest = highest;
      }
    }
    const lost = [...lostSeqs].filter((s) => s <= highest).length;
    const meanMs = rrJitter.reduce((a, b) => a + b, 0) / rrJitter.length / 8;
    expect(meanMs).toBeGreaterThan((J / 3) * 0.9);
    expect(meanMs).toBeLessThan((J / 3) * 1.1);
    expect(stats.cumulativeLost).toBe(lost);
  });
});
