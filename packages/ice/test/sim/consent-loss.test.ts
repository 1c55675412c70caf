import { describe, expect, it } from 'vitest';
import { twoAgents } from './harness.js';

describe('consent freshness (RFC 7675)', () => {
  it('goes disconnected after missed consent responses, then failed after 30 s, and stops sending', () => {
    const { net, a, b, start, bothIn } = twoAgents({ seed: 41, a: { nat: { type: 'port-restricted' } } });
    start();
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    const cutAt = net.now;
    net.setLink(a.host, { loss: 1 });
    expect(net.runUntil(() => a.agent.state === 'disconnected', cutAt + 20_000)).toBe(true);
    const disconnectedAt = net.now;
    expect(net.runUntil(() => a.agent.state === 'failed', cutAt + 60_000)).toBe(true);
    const failedAt = net.now;
    expect(failedAt - disconnectedAt).toBeGreaterThan(10_000);
    // Both ends lose consent: B's checks no longer get answers either.
    expect(net.runUntil(bothIn('failed'), cutAt + 60_000)).toBe(true);
    expect(a.states()).toEqual(['checking', 'connected', 'completed', 'disconnected', 'failed']);
    expect(b.states()).toEqual(['checking', 'connected', 'completed', 'disconnected', 'failed']);
    expect(a.agent.send(Uint8Array.of(1))).toBe(false);
    // After failure nothing more is sent.
    const sent = a.att.sent;
    net.runFor(20_000);
    expect(a.att.sent).toBe(sent);
  });

  it('returns to completed when responses come back before the 30 s limit', () => {
    const { net, a, start, bothIn } = twoAgents({ seed: 42 });
    start();
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    net.setLink(a.host, { loss: 1 });
    expect(net.runUntil(() => a.agent.state === 'disconnected', net.now + 20_000)).toBe(true);
    net.setLink(a.host, {});
    expect(net.runUntil(() => a.agent.state === 'completed', net.now + 20_000)).toBe(true);
    expect(a.states()).toEqual(['checking', 'connected', 'completed', 'disconnected', 'completed']);
  });
});
