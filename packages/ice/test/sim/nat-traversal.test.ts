import type { NatType } from '@rtcwire/netsim';
import { describe, expect, it } from 'vitest';
import { assertW3cOrder, expectNoStaleDeadlines, twoAgents } from './harness.js';

const TRAVERSABLE: [NatType, NatType][] = [
  ['full-cone', 'full-cone'],
  ['full-cone', 'symmetric'],
  ['address-restricted', 'address-restricted'],
  ['address-restricted', 'port-restricted'],
  ['port-restricted', 'port-restricted'],
  ['port-restricted', 'full-cone'],
  ['symmetric', 'full-cone'],
  ['symmetric', 'address-restricted'],
];

describe('NAT traversal with STUN', () => {
  it.each(TRAVERSABLE)('connects %s ↔ %s', (natA, natB) => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 11,
      a: { nat: { type: natA }, link: { latencyMs: 15, jitterMs: 5 } },
      b: { nat: { type: natB }, link: { latencyMs: 25, jitterMs: 5 } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 20_000)).toBe(true);
    assertW3cOrder(a.states());
    assertW3cOrder(b.states());
    expectNoStaleDeadlines(a, b);
    expect(a.states().slice(0, 3)).toEqual(['checking', 'connected', 'completed']);
    // Both sides learnt a server-reflexive candidate from the STUN server.
    expect(a.agent.localCandidates.map((c) => c.type)).toContain('srflx');
    expect(b.agent.localCandidates.map((c) => c.type)).toContain('srflx');
    // The selected pair goes through the NAT's public address.
    expect(a.agent.selectedPair?.remoteAddress.address).toBe('203.0.113.1');
    expect(b.agent.selectedPair?.remoteAddress.address).toBe('192.0.2.1');
    a.agent.send(Uint8Array.of(42));
    b.agent.send(Uint8Array.of(43));
    net.runFor(500);
    expect(b.received()).toEqual([Uint8Array.of(42)]);
    expect(a.received()).toEqual([Uint8Array.of(43)]);
  });

  it.each([
    ['symmetric', 'symmetric'],
    ['symmetric', 'port-restricted'],
  ] as [NatType, NatType][])('reports failed for %s ↔ %s without TURN', (natA, natB) => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 12,
      a: { nat: { type: natA }, link: { latencyMs: 15 } },
      b: { nat: { type: natB }, link: { latencyMs: 25 } },
    });
    start();
    expect(net.runUntil(bothIn('failed'), 60_000)).toBe(true);
    expect(a.states()).toEqual(['checking', 'failed']);
    expect(b.states()).toEqual(['checking', 'failed']);
    expect(a.agent.selectedPair).toBeUndefined();
    expect(net.stats.dropped.get('nat-filtered') + net.stats.dropped.get('nat-no-mapping')).toBeGreaterThan(0);
  });

  it('reports failed without the peer end-of-candidates once the grace period passes', () => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 13,
      a: { nat: { type: 'symmetric' }, noEndOfCandidates: true },
      b: { nat: { type: 'symmetric' }, noEndOfCandidates: true },
    });
    start();
    expect(net.runUntil(bothIn('failed'), 60_000)).toBe(true);
    expect(a.states()).toEqual(['checking', 'failed']);
    expect(b.states()).toEqual(['checking', 'failed']);
    expectNoStaleDeadlines(a, b);
  });
});
