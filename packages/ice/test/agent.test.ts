import type { Datagram } from '@rtcwire/common';
import { InvalidStateError, seededRandom, socketAddress } from '@rtcwire/common';
import {
  Attr,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  makeAttribute,
  type StunAttribute,
  StunMethod,
  shortTermKey,
  verifyIntegrity,
} from '@rtcwire/stun';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IceEvent } from '../src/index.js';
import { IceAgent, parseCandidate } from '../src/index.js';

const LOCAL = socketAddress('192.0.2.10', 5000);
const PEER = socketAddress('198.51.100.20', 6000);
const REMOTE = { usernameFragment: 'peer', password: 'peerpasswordpeerpassword' };

function agent(controlling = true, tieBreaker = 100n) {
  const a = new IceAgent({
    random: seededRandom(1),
    controlling,
    localAddresses: [LOCAL],
    usernameFragment: 'mine',
    password: 'minepasswordminepassword',
    tieBreaker,
  });
  a.setRemoteParameters(0, REMOTE);
  a.gather(0);
  return a;
}

function drain(a: IceAgent): { out: Datagram[]; events: IceEvent[] } {
  const out: Datagram[] = [];
  const events: IceEvent[] = [];
  for (let d = a.pollTransmit(); d; d = a.pollTransmit()) out.push(d);
  for (let e = a.pollEvent(); e; e = a.pollEvent()) events.push(e);
  return { out, events };
}

/** A connectivity check from the peer, as the peer would build it. */
function check(opts: {
  username?: string;
  key?: string;
  attrs?: StunAttribute[];
  role?: 'controlling' | 'controlled';
  tie?: bigint;
}) {
  const attributes: StunAttribute[] = opts.attrs ?? [
    makeAttribute(Attr.USERNAME, opts.username ?? 'mine:peer'),
    makeAttribute(Attr.PRIORITY, 1862270975),
    opts.role === 'controlled'
      ? makeAttribute(Attr.ICE_CONTROLLED, opts.tie ?? 1n)
      : makeAttribute(Attr.ICE_CONTROLLING, opts.tie ?? 1n),
  ];
  return encodeStunMessage(
    { class: 'request', method: StunMethod.BINDING, transactionId: new Uint8Array(12).fill(7), attributes },
    { integrity: { key: shortTermKey(opts.key ?? 'minepasswordminepassword') }, fingerprint: true },
  );
}

describe('IceAgent basics', () => {
  it('gathers a host candidate with a parseable SDP line and reports gathering states in order', () => {
    const a = new IceAgent({ random: seededRandom(1), controlling: true, localAddresses: [LOCAL] });
    expect(a.gatheringState).toBe('new');
    a.gather(0);
    const { events } = drain(a);
    expect(events.map((e) => e.type)).toEqual([
      'gathering-state',
      'local-candidate',
      'gathering-state',
      'end-of-candidates',
    ]);
    const cand = events.find((e) => e.type === 'local-candidate');
    if (cand?.type !== 'local-candidate') throw new Error('no candidate');
    expect(parseCandidate(cand.sdp)).toEqual(cand.candidate);
    expect(cand.candidate).toMatchObject({ type: 'host', address: '192.0.2.10', port: 5000, priority: 2130706431 });
    expect(a.localParameters.usernameFragment).toMatch(/^[A-Za-z0-9+/]{8}$/);
    expect(a.localParameters.password).toMatch(/^[A-Za-z0-9+/]{24}$/);
  });

  it('answers a valid check with a signed success carrying the source address, and learns a peer-reflexive candidate', () => {
    const a = agent(false);
    drain(a);
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: check({ role: 'controlling' }) });
    const { out } = drain(a);
    const reply = decodeStunMessage(out[0]?.data as Uint8Array);
    expect(reply.class).toBe('success');
    expect(getAttribute(reply, Attr.XOR_MAPPED_ADDRESS)).toEqual(PEER);
    expect(verifyIntegrity(reply.raw, shortTermKey('minepasswordminepassword'))).toBe(true);
    expect(a.remoteCandidates).toEqual([
      expect.objectContaining({ type: 'prflx', address: PEER.address, priority: 1862270975 }),
    ]);
    // The triggered check goes out at the next pacing slot.
    a.handleTimeout(a.pollTimeout() as number);
    const triggered = decodeStunMessage(drain(a).out[0]?.data as Uint8Array);
    expect(triggered.class).toBe('request');
    expect(getAttribute(triggered, Attr.USERNAME)).toBe('peer:mine');
    expect(getAttribute(triggered, Attr.ICE_CONTROLLED)).toBe(100n);
  });

  it.each([
    ['a wrong password', { key: 'wrongpasswordwrongpassword' }, 'check-bad-integrity'],
    ['an unknown username', { username: 'other:peer' }, 'check-unknown-username'],
  ])('silently drops a check with %s', (_label, opts, reason) => {
    const a = agent();
    drain(a);
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: check(opts) });
    expect(drain(a).out).toHaveLength(0);
    expect(a.drops.get(reason)).toBe(1);
  });

  it('answers 400 when PRIORITY or the role attribute is missing', () => {
    const a = agent();
    drain(a);
    a.handleDatagram(10, {
      local: LOCAL,
      remote: PEER,
      data: check({ attrs: [makeAttribute(Attr.USERNAME, 'mine:peer')] }),
    });
    const reply = decodeStunMessage(drain(a).out[0]?.data as Uint8Array);
    expect(reply.class).toBe('error');
    expect(getAttribute(reply, Attr.ERROR_CODE)?.code).toBe(400);
  });

  it('answers 487 when both are controlling and our tie-breaker is larger (§7.3.1.1)', () => {
    const a = agent(true, 1000n);
    drain(a);
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: check({ role: 'controlling', tie: 5n }) });
    const reply = decodeStunMessage(drain(a).out[0]?.data as Uint8Array);
    expect(getAttribute(reply, Attr.ERROR_CODE)?.code).toBe(487);
    expect(a.controlling).toBe(true);
  });

  it('switches to controlled when both are controlling and the peer tie-breaker is larger', () => {
    const a = agent(true, 5n);
    drain(a);
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: check({ role: 'controlling', tie: 1000n }) });
    const { out, events } = drain(a);
    expect(decodeStunMessage(out[0]?.data as Uint8Array).class).toBe('success');
    expect(a.controlling).toBe(false);
    expect(events).toContainEqual({ type: 'role', controlling: false });
  });

  it('switches to controlling when both are controlled and our tie-breaker is larger', () => {
    const a = agent(false, 1000n);
    drain(a);
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: check({ role: 'controlled', tie: 5n }) });
    expect(a.controlling).toBe(true);
  });

  it('drops application data from sources without a valid pair, and refuses to send before selection', () => {
    const a = agent();
    drain(a);
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: Uint8Array.of(0x80, 1, 2, 3) });
    expect(drain(a).events).toHaveLength(0);
    expect(a.drops.get('data-unknown-source')).toBe(1);
    expect(a.send(Uint8Array.of(1))).toBe(false);
  });

  it('hands up data from a pair once the peer sent a valid check on it, before its own check succeeded', () => {
    const a = agent(false);
    a.addRemoteCandidate(1, parseCandidate('candidate:1 1 udp 2122260223 198.51.100.20 6000 typ host'));
    drain(a);
    const media = Uint8Array.of(0x80, 1, 2, 3);
    // A signalled candidate alone does not authenticate its address, nor does a check with a wrong password.
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: media });
    a.handleDatagram(11, { local: LOCAL, remote: PEER, data: check({ role: 'controlling', key: 'wrong' }) });
    a.handleDatagram(12, { local: LOCAL, remote: PEER, data: media });
    expect(drain(a).events.filter((e) => e.type === 'data')).toEqual([]);
    expect(a.drops.get('data-unverified-pair')).toBe(2);
    expect(a.drops.get('check-bad-integrity')).toBe(1);
    // A valid check: answered, and data from that address now flows although our own check is only queued.
    a.handleDatagram(20, { local: LOCAL, remote: PEER, data: check({ role: 'controlling' }) });
    a.handleDatagram(21, { local: LOCAL, remote: PEER, data: media });
    expect(a.pairs[0]?.state).not.toBe('succeeded');
    expect(drain(a).events.filter((e) => e.type === 'data')).toEqual([
      { type: 'data', data: media, from: PEER, local: LOCAL },
    ]);
    expect(a.pairs[0]?.stats.packetsReceived).toBe(1);
    // Another port of the same peer never checked: still dropped.
    a.handleDatagram(22, { local: LOCAL, remote: socketAddress(PEER.address, 6001), data: media });
    expect(a.drops.get('data-unknown-source')).toBe(1);
  });

  it('survives random datagrams (drops, never throws)', () => {
    const a = agent();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.uint8Array({ minLength: 20, maxLength: 200 }).map(withStunHeader),
        ),
        (data) => {
          a.handleDatagram(10, { local: LOCAL, remote: PEER, data });
          drain(a);
        },
      ),
      { numRuns: 2000 },
    );
    expect(a.drops.total).toBeGreaterThan(0);
    expect(a.drops.get('stun-malformed') + a.drops.get('stun-not-binding')).toBeGreaterThan(0);
  });

  it('throws InvalidStateError on use after close and emits closed once', () => {
    const a = agent();
    drain(a);
    a.close();
    a.close();
    expect(drain(a).events).toEqual([{ type: 'state', state: 'closed' }]);
    expect(() => a.gather(1)).toThrow(InvalidStateError);
    expect(a.pollTimeout()).toBeUndefined();
  });

  it('asks the resolver hook once per mDNS name', () => {
    const a = agent();
    drain(a);
    const c = parseCandidate('candidate:1 1 udp 2122260223 abc.local 7000 typ host');
    a.addRemoteCandidate(1, c);
    a.addRemoteCandidate(1, { ...c, port: 7001 });
    expect(drain(a).events).toEqual([{ type: 'mdns-resolve', name: 'abc.local' }]);
    a.resolveMdns(2, 'ABC.local', '198.51.100.9');
    expect(a.remoteCandidates.map((r) => `${r.address}:${r.port}`)).toEqual(['198.51.100.9:7000', '198.51.100.9:7001']);
  });
});

/** Make random bytes look like a STUN header so the decoder (not the cheap check) rejects them. */
function withStunHeader(bytes: Uint8Array): Uint8Array {
  const len = (bytes.length - 20) & ~3;
  const d = bytes.slice(0, 20 + len);
  d[0] = (d[0] as number) & 0x01;
  d[2] = len >> 8;
  d[3] = len & 0xff;
  d.set([0x21, 0x12, 0xa4, 0x42], 4);
  return d;
}

describe('accepting aggressive nomination from a controlling peer', () => {
  it('selects the pair once its own triggered check succeeds after USE-CANDIDATE was seen', () => {
    const a = agent(false);
    drain(a);
    const nominating = check({
      attrs: [
        makeAttribute(Attr.USERNAME, 'mine:peer'),
        makeAttribute(Attr.PRIORITY, 1862270975),
        makeAttribute(Attr.ICE_CONTROLLING, 1n),
        makeAttribute(Attr.USE_CANDIDATE, true),
      ],
    });
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: nominating });
    expect(drain(a).events).toEqual([{ type: 'state', state: 'checking' }]);
    expect(a.selectedPair).toBeUndefined();
    a.handleTimeout(a.pollTimeout() as number);
    const out = drain(a).out;
    const request = decodeStunMessage(out[0]?.data as Uint8Array);
    expect(out[0]?.remote).toEqual(PEER);
    // The peer answers our triggered check.
    const response = encodeStunMessage(
      {
        class: 'success',
        method: StunMethod.BINDING,
        transactionId: request.transactionId,
        attributes: [makeAttribute(Attr.XOR_MAPPED_ADDRESS, LOCAL, request.transactionId)],
      },
      { integrity: { key: shortTermKey(REMOTE.password) }, fingerprint: true },
    );
    a.handleDatagram(60, { local: LOCAL, remote: PEER, data: response });
    const { events } = drain(a);
    expect(events.map((e) => e.type)).toEqual(['selected-pair', 'state']);
    expect(events[1]).toEqual({ type: 'state', state: 'connected' });
    expect(a.selectedPair?.remoteAddress).toEqual(PEER);
    expect(a.send(Uint8Array.of(1))).toBe(true);
    expect(drain(a).out[0]).toEqual({ local: LOCAL, remote: PEER, data: Uint8Array.of(1) });
  });

  it('ignores a response whose integrity does not match the peer password', () => {
    const a = agent(false);
    drain(a);
    a.handleDatagram(10, { local: LOCAL, remote: PEER, data: check({ role: 'controlling' }) });
    drain(a);
    a.handleTimeout(a.pollTimeout() as number);
    const request = decodeStunMessage(drain(a).out[0]?.data as Uint8Array);
    const forged = encodeStunMessage(
      {
        class: 'success',
        method: StunMethod.BINDING,
        transactionId: request.transactionId,
        attributes: [makeAttribute(Attr.XOR_MAPPED_ADDRESS, LOCAL, request.transactionId)],
      },
      { integrity: { key: shortTermKey('not-the-password') }, fingerprint: true },
    );
    a.handleDatagram(60, { local: LOCAL, remote: PEER, data: forged });
    expect(a.drops.get('response-bad-integrity')).toBe(1);
    expect(a.pairs[0]?.state).toBe('in-progress');
  });
});

describe('trickled candidates of another generation', () => {
  it('drops a candidate whose ufrag is not the current remote ufrag', () => {
    const a = agent();
    drain(a);
    a.addRemoteCandidate(1, parseCandidate('candidate:1 1 udp 2122260223 198.51.100.7 7000 typ host ufrag stale'));
    a.addRemoteCandidate(1, parseCandidate('candidate:1 1 udp 2122260223 198.51.100.8 7000 typ host ufrag peer'));
    expect(a.drops.get('remote-candidate-other-generation')).toBe(1);
    expect(a.remoteCandidates.map((c) => c.address)).toEqual(['198.51.100.8']);
  });
});
