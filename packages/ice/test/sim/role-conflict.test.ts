import { describe, expect, it } from 'vitest';
import { assertW3cOrder, expectNoStaleDeadlines, twoAgents } from './harness.js';

describe('role conflict (RFC 8445 §7.3.1.1)', () => {
  it.each([
    [true, 31],
    [false, 32],
  ])('both agents start %s-controlling and one yields (seed %i)', (controlling, seed) => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed,
      a: { agent: { controlling } },
      b: { agent: { controlling } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 20_000)).toBe(true);
    expect(a.agent.controlling).not.toBe(b.agent.controlling);
    const roleEvents = [...a.att.events, ...b.att.events].filter((e) => e.event.type === 'role');
    expect(roleEvents).toHaveLength(1);
    assertW3cOrder(a.states());
    assertW3cOrder(b.states());
    expectNoStaleDeadlines(a, b);
    expect(a.agent.selectedPair?.remoteAddress).toEqual(b.local);
    expect(b.agent.selectedPair?.remoteAddress).toEqual(a.local);
  });

  it('the larger tie-breaker keeps the controlling role', () => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 33,
      a: { agent: { controlling: true, tieBreaker: 5n } },
      b: { agent: { controlling: true, tieBreaker: 0xffff_ffff_ffffn } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 20_000)).toBe(true);
    expect(a.agent.controlling).toBe(false);
    expect(b.agent.controlling).toBe(true);
  });
});
