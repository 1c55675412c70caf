import { socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  ATTR,
  attr,
  decodeWire,
  decodeXorAddress,
  encodeWire,
  encodeXorAddress,
  longTermKey,
  Network,
  readU16,
  TurnServer,
} from '../src/index.js';
import { Probe } from './probe.js';

const LISTEN = socketAddress('198.51.100.2', 3478);
const CLIENT = socketAddress('192.0.2.5', 5000);
const PEER = socketAddress('203.0.113.9', 7000);
const KEY = longTermKey('u', 'netsim', 'p');
const text = (s: string) => new TextEncoder().encode(s);
let tidSeed = 0;
const tid = () => new Uint8Array(12).fill(++tidSeed);

function setup() {
  const net = new Network({ seed: 5 });
  const server = new TurnServer({ listen: LISTEN, username: 'u', password: 'p' });
  net.attach(net.addHost('turn', { addresses: [LISTEN.address] }), server, { addresses: [LISTEN], anyPort: true });
  const client = new Probe();
  net.attach(net.addHost('client', { addresses: [CLIENT.address] }), client, { addresses: [CLIENT] });
  const peer = new Probe();
  net.attach(net.addHost('peer', { addresses: [PEER.address] }), peer, { addresses: [PEER] });
  const auth = [
    { type: ATTR.USERNAME, value: text('u') },
    { type: ATTR.REALM, value: text('netsim') },
    { type: ATTR.NONCE, value: text('netsim-nonce-1') },
  ];
  const request = (method: number, attrs: { type: number; value: Uint8Array }[], key = KEY) => {
    const t = tid();
    client.send(CLIENT, LISTEN, encodeWire(method, 0, t, [...attrs, ...auth], { integrityKey: key }));
    net.runFor(10);
    const last = client.received.at(-1)?.datagram.data as Uint8Array;
    return { m: decodeWire(last), t };
  };
  return { net, server, client, peer, request };
}

const TRANSPORT_UDP = { type: ATTR.REQUESTED_TRANSPORT, value: Uint8Array.of(17, 0, 0, 0) };

describe('simulated TURN server', () => {
  it('challenges an unauthenticated Allocate with 401, REALM and NONCE', () => {
    const { net, client } = setup();
    client.send(CLIENT, LISTEN, encodeWire(0x003, 0, tid(), [TRANSPORT_UDP]));
    net.runFor(10);
    const m = decodeWire(client.received[0]?.datagram.data as Uint8Array);
    expect(m?.cls).toBe(3);
    expect(attr(m!, ATTR.ERROR_CODE)?.slice(2, 4)).toEqual(Uint8Array.of(4, 1));
    expect(new TextDecoder().decode(attr(m!, ATTR.NONCE))).toBe('netsim-nonce-1');
  });

  it('rejects a wrong password', () => {
    const { request, server } = setup();
    const { m } = request(0x003, [TRANSPORT_UDP], longTermKey('u', 'netsim', 'wrong'));
    expect(m?.cls).toBe(3);
    expect(server.drops.get('bad-credentials')).toBe(1);
    expect(server.allocationCount).toBe(0);
  });

  it('allocates, relays through permissions with Send/Data indications and ChannelData, and deallocates', () => {
    const { net, server, client, peer, request } = setup();
    const { m, t } = request(0x003, [TRANSPORT_UDP]);
    expect(m?.cls).toBe(2);
    const relayed = decodeXorAddress(attr(m!, ATTR.XOR_RELAYED_ADDRESS) as Uint8Array, t);
    expect(relayed?.address).toBe(LISTEN.address);
    expect(decodeXorAddress(attr(m!, ATTR.XOR_MAPPED_ADDRESS) as Uint8Array, t)).toEqual(CLIENT);
    const relayAddr = relayed!;

    // Without a permission, peer traffic is dropped.
    peer.send(PEER, relayAddr, Uint8Array.of(1));
    net.runFor(10);
    expect(server.drops.get('no-permission')).toBe(1);

    // CreatePermission for the peer's IP.
    const t2 = tid();
    client.send(
      CLIENT,
      LISTEN,
      encodeWire(0x008, 0, t2, [{ type: ATTR.XOR_PEER_ADDRESS, value: encodeXorAddress(PEER, t2) }, ...authAttrs()], {
        integrityKey: KEY,
      }),
    );
    net.runFor(10);
    expect(decodeWire(client.received.at(-1)?.datagram.data as Uint8Array)?.cls).toBe(2);

    // Send indication → the peer sees the data from the relayed address.
    const t3 = tid();
    client.send(
      CLIENT,
      LISTEN,
      encodeWire(0x006, 1, t3, [
        { type: ATTR.XOR_PEER_ADDRESS, value: encodeXorAddress(PEER, t3) },
        { type: ATTR.DATA, value: Uint8Array.of(9, 9) },
      ]),
    );
    net.runFor(10);
    expect(peer.received.at(-1)?.datagram.data).toEqual(Uint8Array.of(9, 9));
    expect(peer.received.at(-1)?.datagram.remote).toEqual(relayAddr);

    // Peer → relayed address → Data indication to the client.
    peer.send(PEER, relayAddr, Uint8Array.of(7));
    net.runFor(10);
    const data = decodeWire(client.received.at(-1)?.datagram.data as Uint8Array);
    expect(data?.method).toBe(0x007);
    expect(attr(data!, ATTR.DATA)).toEqual(Uint8Array.of(7));
    expect(decodeXorAddress(attr(data!, ATTR.XOR_PEER_ADDRESS) as Uint8Array, data!.transactionId)).toEqual(PEER);

    // ChannelBind 0x4001 → ChannelData both ways.
    const t4 = tid();
    client.send(
      CLIENT,
      LISTEN,
      encodeWire(
        0x009,
        0,
        t4,
        [
          { type: ATTR.CHANNEL_NUMBER, value: Uint8Array.of(0x40, 0x01, 0, 0) },
          { type: ATTR.XOR_PEER_ADDRESS, value: encodeXorAddress(PEER, t4) },
          ...authAttrs(),
        ],
        { integrityKey: KEY },
      ),
    );
    net.runFor(10);
    expect(decodeWire(client.received.at(-1)?.datagram.data as Uint8Array)?.cls).toBe(2);
    client.send(CLIENT, LISTEN, Uint8Array.of(0x40, 0x01, 0, 2, 5, 6));
    net.runFor(10);
    expect(peer.received.at(-1)?.datagram.data).toEqual(Uint8Array.of(5, 6));
    peer.send(PEER, relayAddr, Uint8Array.of(8));
    net.runFor(10);
    const cd = client.received.at(-1)?.datagram.data as Uint8Array;
    expect(readU16(cd, 0)).toBe(0x4001);
    expect(cd.subarray(4)).toEqual(Uint8Array.of(8));
    expect(server.relayedCount).toEqual({ toPeers: 2, toClients: 2 });

    // Refresh with LIFETIME 0 releases the allocation.
    const r = request(0x004, [{ type: ATTR.LIFETIME, value: Uint8Array.of(0, 0, 0, 0) }]);
    expect(r.m?.cls).toBe(2);
    expect(server.allocationCount).toBe(0);
  });

  it('expires allocations after their lifetime', () => {
    const { net, server, request } = setup();
    request(0x003, [TRANSPORT_UDP, { type: ATTR.LIFETIME, value: Uint8Array.of(0, 0, 0, 60) }]);
    expect(server.allocationCount).toBe(1);
    net.runFor(61_000);
    const r = request(0x004, [{ type: ATTR.LIFETIME, value: Uint8Array.of(0, 0, 2, 0x58) }]);
    expect(r.m?.cls).toBe(3);
  });
});

function authAttrs() {
  return [
    { type: ATTR.USERNAME, value: text('u') },
    { type: ATTR.REALM, value: text('netsim') },
    { type: ATTR.NONCE, value: text('netsim-nonce-1') },
  ];
}
