import { describe, expect, it } from 'vitest';
import { assertW3cOrder, twoAgents } from './harness.js';

describe('two agents on public addresses', () => {
  it('connect, complete and exchange application data', () => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 1,
      a: { link: { latencyMs: 20 } },
      b: { link: { latencyMs: 30 } },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    expect(a.states()).toEqual(['checking', 'connected', 'completed']);
    expect(b.states()).toEqual(['checking', 'connected', 'completed']);
    assertW3cOrder(a.states());
    const pa = a.agent.selectedPair;
    const pb = b.agent.selectedPair;
    expect(pa?.remoteAddress).toEqual(b.local);
    expect(pb?.remoteAddress).toEqual(a.local);
    expect(a.agent.send(Uint8Array.of(1, 2, 3))).toBe(true);
    expect(b.agent.send(Uint8Array.of(9))).toBe(true);
    net.runFor(200);
    expect(b.received()).toEqual([Uint8Array.of(1, 2, 3)]);
    expect(a.received()).toEqual([Uint8Array.of(9)]);
    // Pair statistics agree with what the network carried.
    const stats = a.agent.pairs.find((p) => p.selected)?.stats;
    expect(stats).toMatchObject({ packetsSent: 1, bytesSent: 3, packetsReceived: 1, bytesReceived: 1 });
    expect(stats?.requestsSent).toBeGreaterThan(0);
    expect(stats?.responsesReceived).toBeGreaterThan(0);
    // Simulated one-way delay is 20 + 30 ms, so every check round trip takes 100 ms.
    expect(stats?.currentRoundTripTimeMs).toBe(100);
    // Consent keeps the session alive for 30 s with nothing else to send.
    net.runFor(30_000);
    expect(a.agent.state).toBe('completed');
    expect(b.agent.state).toBe('completed');
  });
});
