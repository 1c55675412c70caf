import type { SocketAddress } from '@rtcwire/common';
import { socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import type { NatType } from '../src/index.js';
import { Network } from '../src/index.js';
import { Probe, seqOf, seqPayload } from './probe.js';

const INSIDE = socketAddress('10.0.0.2', 5000);
const S1 = socketAddress('198.51.100.1', 3478);
const S1_OTHER_PORT = socketAddress('198.51.100.1', 3479);
const S2 = socketAddress('203.0.113.7', 3478);

function setup(type: NatType, mappingTimeoutMs?: number) {
  const net = new Network({ seed: 7 });
  const nat = net.addNat('nat', '192.0.2.100', mappingTimeoutMs === undefined ? { type } : { type, mappingTimeoutMs });
  const inside = net.addHost('inside', { addresses: [INSIDE.address], nat });
  const s1 = net.addHost('s1', { addresses: [S1.address] });
  const s2 = net.addHost('s2', { addresses: [S2.address] });
  const client = new Probe();
  const p1 = new Probe();
  const p1b = new Probe();
  const p2 = new Probe();
  net.attach(inside, client, { addresses: [INSIDE] });
  net.attach(s1, p1, { addresses: [S1] });
  net.attach(s1, p1b, { addresses: [S1_OTHER_PORT] });
  net.attach(s2, p2, { addresses: [S2] });
  return { net, nat, client, p1, p1b, p2 };
}

/** Client sends to S1 and S2; returns the external addresses each saw. */
function mappings(type: NatType) {
  const s = setup(type);
  s.client.send(INSIDE, S1, seqPayload(1));
  s.client.send(INSIDE, S2, seqPayload(2));
  s.net.runUntil(100);
  return { seen1: s.p1.received[0]?.datagram.remote, seen2: s.p2.received[0]?.datagram.remote, s };
}

/** After the client sent to S1 only, which servers get through to it? */
function reachable(type: NatType) {
  const s = setup(type);
  s.client.send(INSIDE, S1, seqPayload(1));
  s.net.runUntil(100);
  const ext = s.p1.received[0]?.datagram.remote as SocketAddress;
  s.p1.send(S1, ext, seqPayload(10));
  s.p1b.send(S1_OTHER_PORT, ext, seqPayload(11));
  s.p2.send(S2, ext, seqPayload(12));
  s.net.runUntil(200);
  return { got: s.client.received.map((r) => seqOf(r.datagram)).sort(), net: s.net };
}

describe('NAT mapping behaviour (RFC 4787 §4.1)', () => {
  it.each(['full-cone', 'address-restricted', 'port-restricted'] as const)(
    '%s maps one internal endpoint to one external port for all destinations',
    (type) => {
      const { seen1, seen2 } = mappings(type);
      expect(seen1?.address).toBe('192.0.2.100');
      expect(seen2).toEqual(seen1);
    },
  );

  it('symmetric uses a new external port per destination', () => {
    const { seen1, seen2 } = mappings('symmetric');
    expect(seen1?.address).toBe('192.0.2.100');
    expect(seen2?.address).toBe('192.0.2.100');
    expect(seen2?.port).not.toBe(seen1?.port);
  });
});

describe('NAT filtering behaviour (RFC 4787 §5)', () => {
  it('full-cone lets anyone in once a mapping exists', () => {
    expect(reachable('full-cone').got).toEqual([10, 11, 12]);
  });
  it('address-restricted admits only addresses the client sent to', () => {
    const r = reachable('address-restricted');
    expect(r.got).toEqual([10, 11]);
    expect(r.net.stats.dropped.get('nat-filtered')).toBe(1);
  });
  it('port-restricted admits only the exact address and port', () => {
    const r = reachable('port-restricted');
    expect(r.got).toEqual([10]);
    expect(r.net.stats.dropped.get('nat-filtered')).toBe(2);
  });
  it('symmetric admits only the exact address and port on that mapping', () => {
    const r = reachable('symmetric');
    expect(r.got).toEqual([10]);
  });
  it('drops unsolicited inbound traffic', () => {
    const s = setup('full-cone');
    s.p1.send(S1, socketAddress('192.0.2.100', 40000), seqPayload(1));
    s.p1.send(S1, INSIDE, seqPayload(2));
    s.net.runUntil(100);
    expect(s.client.received).toHaveLength(0);
    expect(s.net.stats.dropped.toJSON()).toEqual({ 'nat-no-mapping': 1, 'no-route': 1 });
  });
});

describe('NAT mapping timeout', () => {
  it('forgets idle mappings and keeps refreshed ones', () => {
    const s = setup('port-restricted', 30_000);
    s.client.send(INSIDE, S1, seqPayload(1));
    s.net.runUntil(100);
    const ext = s.p1.received[0]?.datagram.remote as SocketAddress;
    // Refresh at 20 s, reply at 45 s: still mapped (25 s idle).
    s.net.schedule(20_000, () => s.client.send(INSIDE, S1, seqPayload(2)));
    s.net.schedule(45_000, () => s.p1.send(S1, ext, seqPayload(3)));
    // Reply at 80 s: idle 60 s, gone.
    s.net.schedule(80_000, () => s.p1.send(S1, ext, seqPayload(4)));
    s.net.runUntil(90_000);
    expect(s.client.received.map((r) => seqOf(r.datagram))).toEqual([3]);
    expect(s.net.stats.dropped.get('nat-no-mapping')).toBe(1);
    expect(s.nat.mappingCount(90_000)).toBe(0);
  });
});

describe('hosts behind the same NAT', () => {
  it('talk directly over the LAN without translation', () => {
    const s = setup('symmetric');
    const other = socketAddress('10.0.0.3', 6000);
    const h = s.net.addHost('peer', { addresses: [other.address], nat: s.nat });
    const p = new Probe();
    s.net.attach(h, p, { addresses: [other] });
    s.client.send(INSIDE, other, seqPayload(1));
    s.net.runUntil(100);
    expect(p.received[0]?.datagram.remote).toEqual(INSIDE);
  });

  it('hairpin: a host reaches another through the shared NAT public mapping', () => {
    const s = setup('full-cone');
    const other = socketAddress('10.0.0.3', 6000);
    const h = s.net.addHost('peer', { addresses: [other.address], nat: s.nat });
    const p = new Probe();
    s.net.attach(h, p, { addresses: [other] });
    s.client.send(INSIDE, S1, seqPayload(1));
    s.net.runUntil(100);
    const ext = s.p1.received[0]?.datagram.remote as SocketAddress;
    p.send(other, ext, seqPayload(2));
    s.net.runUntil(200);
    expect(s.client.received.map((r) => seqOf(r.datagram))).toEqual([2]);
    expect(s.client.received[0]?.datagram.remote.address).toBe('192.0.2.100');
  });

  it("leaves a NATed host's IPv6 address untranslated and reachable (the NAT only handles IPv4)", () => {
    const net = new Network({ seed: 9 });
    const nat = net.addNat('nat', '192.0.2.100', { type: 'symmetric' });
    const v6 = socketAddress('2001:db8::5', 5000);
    const inside = net.addHost('inside', { addresses: ['10.0.0.5', v6.address], nat });
    const server = socketAddress('2001:db8:ffff::1', 3478);
    const out = net.addHost('server', { addresses: [server.address] });
    const client = new Probe();
    const peer = new Probe();
    net.attach(inside, client, { addresses: [v6] });
    net.attach(out, peer, { addresses: [server] });
    client.send(v6, server, seqPayload(1));
    peer.send(server, v6, seqPayload(2));
    net.runUntil(100);
    expect(peer.received[0]?.datagram.remote).toEqual(v6);
    expect(client.received.map((r) => seqOf(r.datagram))).toEqual([2]);
  });
});
