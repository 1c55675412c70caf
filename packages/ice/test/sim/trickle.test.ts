import { describe, expect, it } from 'vitest';
import { twoAgents } from './harness.js';

describe('trickle ICE (RFC 8838)', () => {
  it('connects through peer-reflexive candidates before late candidates arrive, then completes on end-of-candidates', () => {
    const { net, a, start, bothIn } = twoAgents({
      seed: 61,
      a: { nat: { type: 'full-cone' } },
      // B's candidates reach A only after 3 s.
      b: { nat: { type: 'full-cone' }, signalDelayMs: 3000 },
    });
    start();
    expect(net.runUntil(bothIn('connected'), 3000)).toBe(true);
    expect(net.now).toBeLessThan(3000);
    // A knows B only as peer-reflexive so far, and cannot be completed without B's end-of-candidates.
    expect(a.agent.remoteCandidates.map((c) => c.type)).toEqual(['prflx']);
    expect(a.agent.state).toBe('connected');
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    expect(net.now).toBeGreaterThanOrEqual(3000);
    // The signalled srflx candidate replaced the peer-reflexive one with the same address.
    const types = a.agent.remoteCandidates.map((c) => c.type);
    expect(types).not.toContain('prflx');
    expect(types).toContain('srflx');
  });

  it('forms new pairs for candidates trickled after checking started', () => {
    const { net, a, b, start, bothIn } = twoAgents({
      seed: 62,
      a: { hideCandidates: true },
      b: { hideCandidates: true },
    });
    start();
    net.runFor(1000);
    expect(a.agent.remoteCandidates).toHaveLength(0);
    expect(a.agent.state).toBe('new');
    // B's host candidate, signalled late by hand.
    const host = b.agent.localCandidates[0];
    if (!host) throw new Error('no candidate');
    a.agent.addRemoteCandidate(net.now, host);
    a.agent.endOfRemoteCandidates(net.now);
    b.agent.endOfRemoteCandidates(net.now);
    expect(net.runUntil(bothIn('completed'), net.now + 10_000)).toBe(true);
    expect(a.agent.selectedPair?.remote.type).toBe('host');
  });
});
