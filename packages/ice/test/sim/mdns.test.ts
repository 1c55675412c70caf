import { describe, expect, it } from 'vitest';
import { twoAgents } from './harness.js';

const NAME = '3f1c8a52-8d0e-4c8c-9a4b-1f2e3d4c5b6a.local';

describe('mDNS host candidates', () => {
  it('resolves a remote .local candidate through the resolver hook', () => {
    const asked: string[] = [];
    const { net, b, start, bothIn } = twoAgents({
      seed: 81,
      stun: false,
      a: { mapSdp: (sdp) => sdp.replace(' 192.0.2.1 ', ` ${NAME} `) },
      b: {
        resolveMdns: (name) => {
          asked.push(name);
          return name === NAME ? '192.0.2.1' : undefined;
        },
      },
    });
    start();
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    expect(asked).toEqual([NAME]);
    expect(b.att.events.filter((e) => e.event.type === 'mdns-resolve')).toHaveLength(1);
    expect(b.agent.remoteCandidates).toEqual([
      expect.objectContaining({ type: 'host', address: '192.0.2.1', port: 40000 }),
    ]);
  });

  it('drops a candidate whose name does not resolve and completes once nothing is pending', () => {
    const { net, b, start, bothIn } = twoAgents({
      seed: 82,
      stun: false,
      a: { mapSdp: (sdp) => sdp.replace(' 192.0.2.1 ', ` ${NAME} `) },
      b: { resolveMdns: () => undefined },
    });
    start();
    // B only learns A as peer-reflexive from A's checks.
    expect(net.runUntil(bothIn('completed'), 10_000)).toBe(true);
    expect(b.agent.drops.get('mdns-unresolved')).toBe(1);
    expect(b.agent.remoteCandidates.map((c) => c.type)).toEqual(['prflx']);
  });
});
