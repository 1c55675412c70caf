import { socketAddress } from '@rtcwire/common';
import { Network } from '@rtcwire/netsim';
import { describe, expect, it } from 'vitest';
import { IceAgent, type IceEvent, parseCandidate } from '../../src/index.js';

describe('dual-stack hosts', () => {
  it('gather IPv4 and IPv6 host candidates, pair only within a family and connect', () => {
    const net = new Network({ seed: 101 });
    const a4 = socketAddress('192.0.2.1', 4000);
    const a6 = socketAddress('2001:db8::1', 4000);
    const b4 = socketAddress('203.0.113.1', 5000);
    const b6 = socketAddress('2001:db8::2', 5000);
    const ha = net.addHost('a', { addresses: [a6.address, a4.address], link: { latencyMs: 10 } });
    const hb = net.addHost('b', { addresses: [b6.address, b4.address], link: { latencyMs: 10 } });
    const A = new IceAgent({ random: net.random, controlling: true, localAddresses: [a6, a4] });
    const B = new IceAgent({ random: net.random, controlling: false, localAddresses: [b6, b4] });
    const relay = (to: IceAgent) => (e: IceEvent) => {
      if (e.type === 'local-candidate')
        net.schedule(net.now + 20, () => to.addRemoteCandidate(net.now, parseCandidate(e.sdp)));
      if (e.type === 'end-of-candidates') net.schedule(net.now + 20, () => to.endOfRemoteCandidates(net.now));
    };
    net.attach(ha, A, { addresses: [a6, a4], onEvent: relay(B) });
    net.attach(hb, B, { addresses: [b6, b4], onEvent: relay(A) });
    A.setRemoteParameters(0, B.localParameters);
    B.setRemoteParameters(0, A.localParameters);
    A.gather(0);
    B.gather(0);
    expect(net.runUntil(() => A.state === 'completed' && B.state === 'completed', 10_000)).toBe(true);
    expect(A.localCandidates.map((c) => c.address)).toEqual(['2001:db8::1', '192.0.2.1']);
    // 2 same-family pairs, no cross-family ones.
    expect(A.pairs).toHaveLength(2);
    for (const p of A.pairs) expect(p.pair.localBase.family).toBe(p.pair.remoteAddress.family);
    // The first address gets the higher local preference, so IPv6 wins here.
    expect(A.selectedPair?.remoteAddress).toEqual(b6);
  });
});
