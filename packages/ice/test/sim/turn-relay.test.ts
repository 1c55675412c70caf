import { describe, expect, it } from 'vitest';
import { assertW3cOrder, expectNoStaleDeadlines, TURN_CONFIG, twoAgents } from './harness.js';

describe('relayed candidates through TURN', () => {
  it.each([
    ['A only', true, false],
    ['both sides', true, true],
  ])('symmetric ↔ symmetric connects through a relay (TURN on %s)', (_label, turnA, turnB) => {
    const { net, a, b, turn, start, bothIn } = twoAgents({
      seed: 91,
      a: { nat: { type: 'symmetric' }, link: { latencyMs: 20 }, agent: turnA ? { turnServers: [TURN_CONFIG] } : {} },
      b: { nat: { type: 'symmetric' }, link: { latencyMs: 30 }, agent: turnB ? { turnServers: [TURN_CONFIG] } : {} },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 60_000)).toBe(true);
    assertW3cOrder(a.states());
    assertW3cOrder(b.states());
    expectNoStaleDeadlines(a, b);
    expect(a.agent.localCandidates.map((c) => c.type)).toContain('relay');
    const relay = a.agent.localCandidates.find((c) => c.type === 'relay');
    expect(relay?.address).toBe('198.51.100.2');
    // One side's selected pair uses a relayed candidate.
    const relayed = a.agent.selectedPair?.local.type === 'relay' || b.agent.selectedPair?.local.type === 'relay';
    expect(relayed).toBe(true);
    a.agent.send(Uint8Array.of(1, 2));
    b.agent.send(Uint8Array.of(3, 4));
    net.runFor(1000);
    expect(b.received()).toEqual([Uint8Array.of(1, 2)]);
    expect(a.received()).toEqual([Uint8Array.of(3, 4)]);
    expect(turn.relayedCount.toPeers).toBeGreaterThan(0);
    expect(turn.relayedCount.toClients).toBeGreaterThan(0);
    // Consent and the TURN client's refreshes keep it up.
    net.runFor(60_000);
    expect(a.agent.state).toBe('completed');
    expect(b.agent.state).toBe('completed');
  });

  it('prefers a direct path over the relay when one exists', () => {
    const { net, a, start, bothIn } = twoAgents({
      seed: 92,
      a: { nat: { type: 'port-restricted' }, agent: { turnServers: [TURN_CONFIG] } },
      b: { nat: { type: 'full-cone' }, agent: { turnServers: [TURN_CONFIG] } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 30_000)).toBe(true);
    expect(a.agent.selectedPair?.local.type).not.toBe('relay');
    expect(a.agent.selectedPair?.remote.type).not.toBe('relay');
  });

  it('gathering completes without a relay when the TURN credentials are wrong', () => {
    const { net, a, start } = twoAgents({
      seed: 93,
      a: { agent: { turnServers: [{ ...TURN_CONFIG, password: 'nope' }] } },
    });
    start();
    expect(net.runUntil(() => a.agent.gatheringState === 'complete', 30_000)).toBe(true);
    expect(a.agent.localCandidates.map((c) => c.type)).not.toContain('relay');
  });

  it('re-announces the live relayed candidate after an ICE restart and reconnects through it', () => {
    const { net, a, b, start, restart, bothIn } = twoAgents({
      seed: 94,
      a: { nat: { type: 'symmetric' }, agent: { turnServers: [TURN_CONFIG] } },
      b: { nat: { type: 'symmetric' } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 60_000)).toBe(true);
    const before = a.agent.localCandidates.find((c) => c.type === 'relay');
    restart();
    const selections = () => a.att.events.filter((e) => e.event.type === 'selected-pair').length;
    expect(
      net.runUntil(
        () => selections() === 2 && a.agent.state === 'completed' && b.agent.state === 'completed',
        net.now + 60_000,
      ),
    ).toBe(true);
    const after = a.agent.localCandidates.find((c) => c.type === 'relay');
    // Same allocation, new generation (new ufrag).
    expect(`${after?.address}:${after?.port}`).toBe(`${before?.address}:${before?.port}`);
    expect(after?.extensions).not.toEqual(before?.extensions);
    a.agent.send(Uint8Array.of(11));
    net.runFor(1000);
    expect(b.received()).toContainEqual(Uint8Array.of(11));
    expectNoStaleDeadlines(a, b);
  });
});
