import { socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  ATTR,
  attr,
  decodeWire,
  decodeXorAddress,
  encodeWire,
  encodeXorAddress,
  Network,
  StunServer,
} from '../src/index.js';
import { Probe } from './probe.js';

describe('simulated STUN server', () => {
  it('answers a Binding request with the NAT-mapped address', () => {
    const net = new Network({ seed: 3 });
    const nat = net.addNat('nat', '192.0.2.100', { type: 'symmetric' });
    const c = net.addHost('c', { addresses: ['10.0.0.2'], nat });
    const s = net.addHost('s', { addresses: ['198.51.100.1'] });
    const probe = new Probe();
    const server = new StunServer();
    const local = socketAddress('10.0.0.2', 5000);
    const serverAddr = socketAddress('198.51.100.1', 3478);
    net.attach(c, probe, { addresses: [local] });
    net.attach(s, server, { addresses: [serverAddr] });
    const tid = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
    probe.send(local, serverAddr, encodeWire(0x001, 0, tid, []));
    probe.send(local, serverAddr, Uint8Array.of(1, 2, 3));
    net.runUntil(100);
    expect(server.requests).toBe(1);
    expect(server.drops.get('not-stun')).toBe(1);
    const reply = decodeWire(probe.received[0]?.datagram.data as Uint8Array);
    expect(reply?.cls).toBe(2);
    expect(reply?.transactionId).toEqual(tid);
    const mapped = decodeXorAddress(attr(reply!, ATTR.XOR_MAPPED_ADDRESS) as Uint8Array, tid);
    expect(mapped?.address).toBe('192.0.2.100');
    expect(mapped?.port).not.toBe(5000);
    expect(net.stats.delivered).toBe(3);
    expect(attr(reply!, ATTR.FINGERPRINT)).toBeDefined();
  });

  it('encodes XOR addresses that round-trip (IPv4 and IPv6)', () => {
    const tid = new Uint8Array(12).fill(9);
    for (const a of [socketAddress('192.0.2.1', 32853), socketAddress('2001:db8:1234:5678:11:2233:4455:6677', 32853)]) {
      const m = decodeWire(encodeWire(0x001, 2, tid, [{ type: ATTR.XOR_MAPPED_ADDRESS, value: new Uint8Array() }]));
      expect(m?.method).toBe(1);
      expect(decodeXorAddress(encodeXorAddress(a, tid), tid)).toEqual(a);
    }
  });
});
