import { seededRandom } from '@rtcwire/common';
import { Attr, decodeStunMessage, getAttribute } from '@rtcwire/stun';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TurnClient, type TurnEvent } from '../../src/turn/index.js';
import { allocateSuccess, deliver, PASS, SERVER, unauthorized, USER } from './scripted-server.js';

/**
 * Allocation over a lossy UDP path in simulated time: a scripted server answers every request it
 * receives (401 without integrity, success with it); each direction loses packets independently.
 */
function run(seed: number, lossRate: number): { events: TurnEvent[]; now: number; sent: number } {
  const rng = seededRandom(seed);
  const c = new TurnClient({ server: SERVER, username: USER, password: PASS, random: rng });
  const events: TurnEvent[] = [];
  let now = 0;
  let sent = 0;
  c.allocate(now);
  for (let steps = 0; steps < 1000; steps++) {
    for (let d = c.pollTransmit(); d; d = c.pollTransmit()) {
      sent++;
      if (rng.float() < lossRate) continue;
      const req = decodeStunMessage(d.data);
      const res = getAttribute(req, Attr.MESSAGE_INTEGRITY) ? allocateSuccess(req) : unauthorized(req);
      if (rng.float() < lossRate) continue;
      deliver(c, now, res);
    }
    for (let e = c.pollEvent(); e; e = c.pollEvent()) events.push(e);
    if (events.some((e) => e.type === 'allocated' || e.type === 'failed')) break;
    const t = c.pollTimeout();
    if (t === undefined) break;
    now = t;
    c.handleTimeout(now);
  }
  return { events, now, sent };
}

describe('TurnClient allocation under loss', () => {
  it('allocates or times out cleanly for any seed at 40% loss each way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const { events, now, sent } = run(seed, 0.4);
        expect(events).toHaveLength(1);
        const e = events[0];
        if (e?.type === 'failed') {
          expect(e.error.code).toBe('timeout');
        } else {
          expect(e?.type).toBe('allocated');
        }
        // Two transactions at most: 2 × 7 sends and 2 × 39.5 s.
        expect(sent).toBeLessThanOrEqual(14);
        expect(now).toBeLessThanOrEqual(79_000);
      }),
      { numRuns: 200 },
    );
  });

  it('without loss it allocates at time 0 with exactly two requests', () => {
    const { events, now, sent } = run(1, 0);
    expect(events.map((e) => e.type)).toEqual(['allocated']);
    expect([now, sent]).toEqual([0, 2]);
  });

  it('a seeded run is reproducible', () => {
    expect(run(42, 0.5)).toEqual(run(42, 0.5));
  });
});
