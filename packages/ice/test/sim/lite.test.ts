import { describe, expect, it } from 'vitest';
import { assertW3cOrder, expectNoStaleDeadlines, twoAgents } from './harness.js';

describe('ICE lite (RFC 8445 §2.5)', () => {
  it.each([true, false])('a full agent (initially controlling: %s) connects to a lite agent', (controlling) => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 71,
      a: { nat: { type: 'port-restricted' }, agent: { controlling } },
      b: { agent: { lite: true, controlling: false } },
    });
    start();
    expect(b.agent.localParameters.iceLite).toBe(true);
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    expect(a.agent.controlling).toBe(true);
    expect(b.agent.controlling).toBe(false);
    assertW3cOrder(a.states());
    assertW3cOrder(b.states());
    expectNoStaleDeadlines(a, b);
    // The lite agent has only host candidates and never sent a check of its own.
    expect(b.agent.localCandidates.map((c) => c.type)).toEqual(['host']);
    expect(b.agent.selectedPair?.remoteAddress.address).toBe('192.0.2.1');
    b.agent.send(Uint8Array.of(5));
    a.agent.send(Uint8Array.of(6));
    net.runFor(30_000);
    expect(a.received()).toEqual([Uint8Array.of(5)]);
    expect(b.received()).toEqual([Uint8Array.of(6)]);
    // The full agent's consent checks keep both sides alive.
    expect(a.agent.state).toBe('completed');
    expect(b.agent.state).toBe('completed');
  });

  it('the lite agent notices when the full agent goes away', () => {
    const { net, a, b, start, bothIn } = twoAgents({ seed: 72, b: { agent: { lite: true, controlling: false } } });
    start();
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    a.agent.close();
    expect(net.runUntil(() => b.agent.state === 'failed', net.now + 60_000)).toBe(true);
    expect(b.states().slice(-2)).toEqual(['disconnected', 'failed']);
  });
});
