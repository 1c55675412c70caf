import { describe, expect, it } from 'vitest';
import { assertW3cOrder, expectNoStaleDeadlines, twoAgents } from './harness.js';

const selectedCount = (events: readonly { event: { type: string } }[]) =>
  events.filter((e) => e.event.type === 'selected-pair').length;

describe('ICE restart (RFC 8445 §9)', () => {
  it('keeps media flowing on the old pair until the new generation selects a pair', () => {
    const { net, a, b, start, restart, bothIn } = twoAgents({
      seed: 51,
      a: { nat: { type: 'port-restricted' }, link: { latencyMs: 20 } },
      b: { nat: { type: 'full-cone' }, link: { latencyMs: 20 } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    const oldUfrag = a.agent.localParameters.usernameFragment;
    restart();
    expect(a.agent.localParameters.usernameFragment).not.toBe(oldUfrag);
    // Right after the restart the old pair still carries data both ways.
    expect(a.agent.send(Uint8Array.of(1))).toBe(true);
    expect(b.agent.send(Uint8Array.of(2))).toBe(true);
    net.runFor(5);
    expect(a.agent.state).toBe('connected');
    expect(
      net.runUntil(() => selectedCount(a.att.events) === 2 && selectedCount(b.att.events) === 2, net.now + 10_000),
    ).toBe(true);
    expect(net.runUntil(bothIn('completed'), net.now + 10_000)).toBe(true);
    expect(b.received()).toContainEqual(Uint8Array.of(1));
    expect(a.received()).toContainEqual(Uint8Array.of(2));
    expect(a.states()).toEqual(['checking', 'connected', 'completed', 'connected', 'completed']);
    // Consent on the new generation keeps it alive.
    net.runFor(30_000);
    expect(a.agent.state).toBe('completed');
    expect(b.agent.state).toBe('completed');
  });

  it('recovers a failed session after the network comes back', () => {
    const { net, a, b, start, restart, bothIn } = twoAgents({ seed: 52, a: { nat: { type: 'address-restricted' } } });
    start();
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    net.setLink(a.host, { loss: 1 });
    expect(net.runUntil(bothIn('failed'), net.now + 60_000)).toBe(true);
    net.setLink(a.host, {});
    restart();
    expect(net.runUntil(bothIn('completed'), net.now + 10_000)).toBe(true);
    expect(a.states()).toEqual([
      'checking',
      'connected',
      'completed',
      'disconnected',
      'failed',
      'checking',
      'connected',
      'completed',
    ]);
    assertW3cOrder(b.states());
    expectNoStaleDeadlines(a, b);
    expect(a.agent.send(Uint8Array.of(7))).toBe(true);
    net.runFor(500);
    expect(b.received()).toEqual([Uint8Array.of(7)]);
  });
});
