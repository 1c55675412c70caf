import { describe, expect, it } from 'vitest';
import { assertW3cOrder, expectNoStaleDeadlines, twoAgents } from './harness.js';

describe('lossy path', () => {
  it.each([21, 22, 23])('connects with 30 percent loss each way behind NATs (seed %d)', (seed) => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed,
      a: { nat: { type: 'port-restricted' }, link: { latencyMs: 30, jitterMs: 10, loss: 0.3 } },
      b: { nat: { type: 'full-cone' }, link: { latencyMs: 20 } },
    });
    start();
    expect(net.runUntil(bothIn('connected', 'completed'), 30_000)).toBe(true);
    assertW3cOrder(a.states());
    assertW3cOrder(b.states());
    expectNoStaleDeadlines(a, b);
    expect(net.stats.dropped.get('loss')).toBeGreaterThan(0);
    // Consent survives 30 s of loss (it may dip into disconnected): retransmitted checks get through.
    net.runFor(30_000);
    expect(a.states()).not.toContain('failed');
    expect(b.states()).not.toContain('failed');
    for (let i = 0; i < 100; i++) a.agent.send(Uint8Array.of(i));
    net.runFor(1000);
    const delivered = b.received().length;
    expect(delivered).toBeGreaterThan(50);
    expect(delivered).toBeLessThan(90);
  });

  it('connects through burst loss, duplication and reordering', () => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 24,
      a: {
        nat: { type: 'address-restricted' },
        link: {
          latencyMs: 40,
          jitterMs: 30,
          duplicate: 0.2,
          reorder: 0.2,
          burst: { pGoodToBad: 0.15, pBadToGood: 0.5 },
        },
      },
      b: { link: { latencyMs: 10, duplicate: 0.1 } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 30_000)).toBe(true);
    expect(net.stats.duplicated).toBeGreaterThan(0);
    expect(net.stats.dropped.get('burst-loss')).toBeGreaterThan(0);
    assertW3cOrder(a.states());
    assertW3cOrder(b.states());
    expectNoStaleDeadlines(a, b);
    // Duplicated responses are dropped as unknown transactions, never misread.
    expect(
      a.agent.drops.get('response-unknown-transaction') + b.agent.drops.get('response-unknown-transaction'),
    ).toBeGreaterThan(0);
  });
});
