import { socketAddress } from '@rtcwire/common';
import {
  Attr,
  AttrType,
  decodeChannelData,
  decodeStunMessage,
  encodeChannelData,
  getAttribute,
  isChannelData,
  longTermKey,
  makeAttribute,
  StunMethod,
  verifyIntegrity,
} from '@rtcwire/stun';
import { describe, expect, it } from 'vitest';
import { TurnClient, type TurnClientOptions, TurnError } from '../../src/turn/index.js';
import {
  allocateSuccess,
  allocateWithAuth,
  dataIndication,
  deliver,
  drainEvents,
  drainTransmit,
  errorReply,
  isAuthenticated,
  MAPPED,
  oneRequest,
  PASS,
  RELAYED,
  REALM,
  reply,
  SERVER,
  unauthorized,
  USER,
} from './scripted-server.js';

const PEER = socketAddress('192.0.2.10', 7000);

function oneRequestOf(c: TurnClient, act: (c: TurnClient) => void) {
  act(c);
  return oneRequest(c);
}

function client(extra: Partial<TurnClientOptions> = {}): TurnClient {
  return new TurnClient({ server: SERVER, username: USER, password: PASS, ...extra });
}

describe('TurnClient allocation (RFC 8656 §7)', () => {
  it('401 with REALM/NONCE, then an authenticated Allocate, then allocated', () => {
    const c = client();
    c.allocate(0);
    const first = oneRequest(c);
    expect(first.method).toBe(StunMethod.ALLOCATE);
    expect(getAttribute(first, Attr.REQUESTED_TRANSPORT)).toBe(17);
    expect(getAttribute(first, Attr.MESSAGE_INTEGRITY)).toBeUndefined();
    deliver(c, 10, unauthorized(first));
    const second = oneRequest(c);
    expect(getAttribute(second, Attr.USERNAME)).toBe(USER);
    expect(getAttribute(second, Attr.REALM)).toBe(REALM);
    expect(getAttribute(second, Attr.NONCE)).toBe('nonce-1');
    expect(isAuthenticated(second)).toBe(true);
    expect(second.transactionId).not.toEqual(first.transactionId);
    deliver(c, 20, allocateSuccess(second));
    expect(drainEvents(c)).toEqual([{ type: 'allocated', relayed: RELAYED, mapped: MAPPED, lifetimeS: 600 }]);
    expect(c.state).toBe('allocated');
    expect(c.relayedAddress).toEqual(RELAYED);
  });

  it('asks for REQUESTED-ADDRESS-FAMILY and LIFETIME when configured, and SOFTWARE', () => {
    const c = client({ relayFamily: 'IPv6', lifetimeS: 1200, software: 'rtcwire' });
    c.allocate(0);
    const req = oneRequest(c);
    expect(getAttribute(req, Attr.REQUESTED_ADDRESS_FAMILY)).toBe(2);
    expect(getAttribute(req, Attr.LIFETIME)).toBe(1200);
    expect(getAttribute(req, Attr.SOFTWARE)).toBe('rtcwire');
    expect(
      getAttribute(
        oneRequestOf(client(), (x) => x.allocate(0)),
        Attr.REQUESTED_ADDRESS_FAMILY,
      ),
    ).toBeUndefined();
  });

  it('wrong password: a second 401 is an unauthorized failure', () => {
    const c = new TurnClient({ server: SERVER, username: USER, password: 'wrong' });
    c.allocate(0);
    deliver(c, 0, unauthorized(oneRequest(c)));
    const second = oneRequest(c);
    expect(isAuthenticated(second)).toBe(false);
    deliver(c, 0, unauthorized(second, 'nonce-2'));
    const events = drainEvents(c);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e?.type).toBe('failed');
    if (e?.type !== 'failed') return;
    expect(e.error).toBeInstanceOf(TurnError);
    expect(e.error.code).toBe('unauthorized');
    expect(e.error.stunCode).toBe(401);
    expect(c.state).toBe('failed');
    expect(c.pollTimeout()).toBeUndefined();
  });

  it('438 Stale Nonce retries with the new nonce', () => {
    const c = client();
    c.allocate(0);
    deliver(c, 0, unauthorized(oneRequest(c)));
    const second = oneRequest(c);
    deliver(c, 0, errorReply(second, 438, [makeAttribute(Attr.NONCE, 'nonce-2'), makeAttribute(Attr.REALM, REALM)]));
    const third = oneRequest(c);
    expect(getAttribute(third, Attr.NONCE)).toBe('nonce-2');
    expect(isAuthenticated(third)).toBe(true);
    deliver(c, 0, allocateSuccess(third));
    expect(drainEvents(c).map((e) => e.type)).toEqual(['allocated']);
  });

  it('endless 438 gives up with stale-nonce', () => {
    const c = client();
    c.allocate(0);
    deliver(c, 0, unauthorized(oneRequest(c)));
    for (let i = 0; i < 4; i++) deliver(c, 0, errorReply(oneRequest(c), 438, [makeAttribute(Attr.NONCE, `n${i}`)]));
    const e = drainEvents(c)[0];
    expect(e?.type === 'failed' && e.error.code).toBe('stale-nonce');
  });

  it('other error responses fail with the STUN code', () => {
    const c = client();
    c.allocate(0);
    deliver(c, 0, unauthorized(oneRequest(c)));
    deliver(c, 0, errorReply(oneRequest(c), 486));
    const e = drainEvents(c)[0];
    expect(e?.type === 'failed' && [e.error.code, e.error.stunCode]).toEqual(['error-response', 486]);
  });

  it('times out after the RFC 8489 schedule when the server is silent', () => {
    const c = client();
    c.allocate(0);
    let sends = drainTransmit(c).length;
    let now = 0;
    for (let t = c.pollTimeout(); t !== undefined; t = c.pollTimeout()) {
      now = t;
      c.handleTimeout(now);
      sends += drainTransmit(c).length;
    }
    expect(sends).toBe(7);
    expect(now).toBe(39_500);
    const e = drainEvents(c)[0];
    expect(e?.type === 'failed' && e.error.code).toBe('timeout');
  });

  it('drops success responses with bad or missing MESSAGE-INTEGRITY', () => {
    const c = client();
    c.allocate(0);
    deliver(c, 0, unauthorized(oneRequest(c)));
    const req = oneRequest(c);
    const tid = req.transactionId;
    const attrs = [makeAttribute(Attr.XOR_RELAYED_ADDRESS, RELAYED, tid)];
    deliver(c, 0, reply(req, 'success', attrs, null));
    deliver(c, 0, reply(req, 'success', attrs, new Uint8Array(16)));
    expect(drainEvents(c)).toEqual([]);
    expect(c.drops.get('bad-integrity')).toBe(2);
    deliver(c, 0, allocateSuccess(req));
    expect(drainEvents(c).map((e) => e.type)).toEqual(['allocated']);
  });

  it('ignores datagrams from other addresses and garbage', () => {
    const c = client();
    c.allocate(0);
    const req = oneRequest(c);
    c.handleDatagram(0, { local: SERVER, remote: PEER, data: unauthorized(req) });
    deliver(c, 0, new Uint8Array([0xff, 1, 2]));
    deliver(c, 0, new Uint8Array([0, 1, 0, 0]));
    expect(c.drops.total).toBe(3);
    expect(drainTransmit(c)).toEqual([]);
  });
});

describe('TurnClient refresh timing', () => {
  it('refreshes a 600 s allocation at 540 s with LIFETIME and handles 438 on refresh', () => {
    const c = client();
    allocateWithAuth(c, 1000);
    expect(c.pollTimeout()).toBe(1000 + 540_000);
    c.handleTimeout(1000 + 539_999);
    expect(drainTransmit(c)).toEqual([]);
    c.handleTimeout(541_000);
    const refresh = oneRequest(c);
    expect(refresh.method).toBe(StunMethod.REFRESH);
    expect(getAttribute(refresh, Attr.LIFETIME)).toBe(600);
    expect(isAuthenticated(refresh)).toBe(true);
    deliver(c, 541_010, errorReply(refresh, 438, [makeAttribute(Attr.NONCE, 'nonce-9')]));
    const retry = oneRequest(c);
    expect(getAttribute(retry, Attr.NONCE)).toBe('nonce-9');
    deliver(c, 541_020, reply(retry, 'success', [makeAttribute(Attr.LIFETIME, 300)]));
    expect(drainEvents(c)).toEqual([{ type: 'refreshed', lifetimeS: 300 }]);
    expect(c.pollTimeout()).toBe(541_020 + 240_000);
  });

  it('refreshes short lifetimes at half-life', () => {
    const c = client();
    allocateWithAuth(c, 0, 60);
    expect(c.pollTimeout()).toBe(30_000);
  });

  it('a failed refresh loses the allocation', () => {
    const c = client();
    allocateWithAuth(c, 0);
    c.handleTimeout(540_000);
    deliver(c, 540_000, errorReply(oneRequest(c), 437));
    const e = drainEvents(c)[0];
    expect(e?.type === 'failed' && [e.error.operation, e.error.stunCode]).toEqual(['refresh', 437]);
  });

  it('close() sends Refresh LIFETIME 0 and ends with closed', () => {
    const c = client();
    allocateWithAuth(c, 0);
    c.close(5);
    const req = oneRequest(c);
    expect(req.method).toBe(StunMethod.REFRESH);
    expect(getAttribute(req, Attr.LIFETIME)).toBe(0);
    expect(c.state).toBe('closing');
    deliver(c, 6, reply(req, 'success', [makeAttribute(Attr.LIFETIME, 0)]));
    expect(drainEvents(c)).toEqual([{ type: 'closed' }]);
    expect(c.state).toBe('closed');
    expect(() => c.send(7, PEER, new Uint8Array(1))).toThrow(/state closed/);
  });
});

describe('TurnClient permissions, channels and data', () => {
  function allocated(): TurnClient {
    const c = client();
    allocateWithAuth(c, 0);
    return c;
  }

  it('send() without permission queues, installs one, then flushes as a Send indication', () => {
    const c = allocated();
    c.send(100, PEER, new Uint8Array([1, 2, 3]));
    c.send(100, PEER, new Uint8Array([4]));
    const perm = oneRequest(c);
    expect(perm.method).toBe(StunMethod.CREATE_PERMISSION);
    expect(getAttribute(perm, Attr.XOR_PEER_ADDRESS)).toEqual(PEER);
    expect(isAuthenticated(perm)).toBe(true);
    deliver(c, 110, reply(perm, 'success', []));
    expect(drainEvents(c)).toEqual([{ type: 'permission', peer: PEER.address }]);
    const sent = drainTransmit(c).map((b) => decodeStunMessage(b));
    expect(sent.map((m) => [m.class, m.method])).toEqual([
      ['indication', StunMethod.SEND],
      ['indication', StunMethod.SEND],
    ]);
    expect(Array.from(getAttribute(sent[0]!, Attr.DATA) ?? [])).toEqual([1, 2, 3]);
    expect(getAttribute(sent[1]!, Attr.XOR_PEER_ADDRESS)).toEqual(PEER);
    // Permission refresh every 4 minutes (RFC 8656 §9: they last 5).
    expect(c.pollTimeout()).toBe(110 + 240_000);
    c.handleTimeout(240_110);
    const again = oneRequest(c);
    expect(again.method).toBe(StunMethod.CREATE_PERMISSION);
    deliver(c, 240_120, reply(again, 'success', []));
    expect(drainEvents(c)).toEqual([]);
  });

  it('permission failure is an event and drops the queued data', () => {
    const c = allocated();
    c.send(0, PEER, new Uint8Array([1]));
    deliver(c, 0, errorReply(oneRequest(c), 403));
    const e = drainEvents(c)[0];
    expect(e?.type === 'permission-failed' && [e.peer, e.error.stunCode]).toEqual([PEER.address, 403]);
    expect(drainTransmit(c)).toEqual([]);
    expect(c.state).toBe('allocated');
  });

  it('ChannelBind, then ChannelData both ways, refreshed before 10 minutes', () => {
    const c = allocated();
    const ch = c.bindChannel(1000, PEER);
    expect(ch).toBe(0x4000);
    const bind = oneRequest(c);
    expect(bind.method).toBe(StunMethod.CHANNEL_BIND);
    expect(getAttribute(bind, Attr.CHANNEL_NUMBER)).toBe(0x4000);
    expect(getAttribute(bind, Attr.XOR_PEER_ADDRESS)).toEqual(PEER);
    deliver(c, 1000, reply(bind, 'success', []));
    expect(drainEvents(c)).toEqual([
      { type: 'permission', peer: PEER.address },
      { type: 'channel-bound', peer: PEER, channel: 0x4000 },
    ]);
    c.send(1001, PEER, new Uint8Array([7, 7]));
    const out = drainTransmit(c);
    expect(out).toHaveLength(1);
    expect(isChannelData(out[0]!)).toBe(true);
    expect(decodeChannelData(out[0]!)).toMatchObject({ channel: 0x4000 });
    deliver(c, 1002, encodeChannelData(0x4000, new Uint8Array([9])));
    expect(drainEvents(c)).toEqual([{ type: 'data', peer: PEER, data: new Uint8Array([9]), channel: 0x4000 }]);
    deliver(c, 1003, encodeChannelData(0x4001, new Uint8Array([9])));
    expect(c.drops.get('unknown-channel')).toBe(1);
    // Permission refresh at +240 s, channel refresh at +540 s, allocation refresh at 540 s.
    c.handleTimeout(241_000);
    const permRefresh = oneRequest(c);
    expect(permRefresh.method).toBe(StunMethod.CREATE_PERMISSION);
    deliver(c, 241_000, reply(permRefresh, 'success', []));
    c.handleTimeout(541_000);
    const methods = drainTransmit(c).map((b) => decodeStunMessage(b).method);
    expect(methods.sort()).toEqual([StunMethod.REFRESH, StunMethod.CREATE_PERMISSION, StunMethod.CHANNEL_BIND].sort());
  });

  it('Data indications become data events', () => {
    const c = allocated();
    deliver(c, 5, dataIndication(PEER, new Uint8Array([5, 6])));
    expect(drainEvents(c)).toEqual([{ type: 'data', peer: PEER, data: new Uint8Array([5, 6]) }]);
  });

  it('permissions requested while allocating are sent once allocated', () => {
    const c = client();
    c.allocate(0);
    deliver(c, 0, unauthorized(oneRequest(c)));
    const alloc = oneRequest(c);
    c.createPermission(1, PEER);
    expect(drainTransmit(c)).toEqual([]);
    deliver(c, 2, allocateSuccess(alloc));
    const perm = oneRequest(c);
    expect(perm.method).toBe(StunMethod.CREATE_PERMISSION);
  });

  it('unknown attributes in a channel-bind error are reported', () => {
    const c = allocated();
    c.bindChannel(0, PEER);
    const bind = oneRequest(c);
    deliver(c, 0, errorReply(bind, 420, [makeAttribute(Attr.UNKNOWN_ATTRIBUTES, [AttrType.CHANNEL_NUMBER])]));
    const e = drainEvents(c)[0];
    expect(e?.type === 'channel-failed' && e.error.stunCode).toBe(420);
  });

  it('send() while allocating waits for the allocation and then the permission', () => {
    const c = client();
    c.allocate(0);
    deliver(c, 0, unauthorized(oneRequest(c)));
    const alloc = oneRequest(c);
    c.send(1, PEER, new Uint8Array([42]));
    expect(drainTransmit(c)).toEqual([]);
    deliver(c, 2, allocateSuccess(alloc));
    const perm = oneRequest(c);
    expect(perm.method).toBe(StunMethod.CREATE_PERMISSION);
    deliver(c, 3, reply(perm, 'success', []));
    const sent = drainTransmit(c).map((b) => decodeStunMessage(b));
    expect(sent).toHaveLength(1);
    expect(Array.from(getAttribute(sent[0]!, Attr.DATA) ?? [])).toEqual([42]);
  });
});

describe('TurnClient password algorithms (RFC 8489 §9.2.4)', () => {
  it('picks SHA-256 from PASSWORD-ALGORITHMS and echoes both attributes', () => {
    const c = client();
    c.allocate(0);
    const first = oneRequest(c);
    const offered = [
      { algorithm: 1, parameters: new Uint8Array(0) },
      { algorithm: 2, parameters: new Uint8Array(0) },
    ];
    deliver(
      c,
      0,
      errorReply(first, 401, [
        makeAttribute(Attr.REALM, REALM),
        makeAttribute(Attr.NONCE, 'obMatJos2AAACnonce'),
        makeAttribute(Attr.PASSWORD_ALGORITHMS, offered),
      ]),
    );
    const second = oneRequest(c);
    expect(getAttribute(second, Attr.PASSWORD_ALGORITHM)).toEqual(offered[1]);
    expect(getAttribute(second, Attr.PASSWORD_ALGORITHMS)).toEqual(offered);
    expect(verifyIntegrity(second.raw, longTermKey(USER, REALM, PASS, 'sha256'))).toBe(true);
    expect(isAuthenticated(second)).toBe(false);
  });

  it('refresh(now) refreshes immediately and only once at a time', () => {
    const c = client();
    allocateWithAuth(c, 0);
    c.refresh(10);
    c.refresh(11);
    const req = oneRequest(c);
    expect(req.method).toBe(StunMethod.REFRESH);
    deliver(c, 12, reply(req, 'success', [makeAttribute(Attr.LIFETIME, 600)]));
    expect(drainEvents(c)).toEqual([{ type: 'refreshed', lifetimeS: 600 }]);
    expect(c.pollTimeout()).toBe(12 + 540_000);
  });

  it('438 on CreatePermission retries with the new nonce; later requests use it too', () => {
    const c = client();
    allocateWithAuth(c, 0);
    c.createPermission(1, PEER);
    const perm = oneRequest(c);
    deliver(c, 2, errorReply(perm, 438, [makeAttribute(Attr.NONCE, 'fresh')]));
    const retry = oneRequest(c);
    expect(retry.method).toBe(StunMethod.CREATE_PERMISSION);
    expect(getAttribute(retry, Attr.NONCE)).toBe('fresh');
    deliver(c, 3, reply(retry, 'success', []));
    expect(drainEvents(c)).toEqual([{ type: 'permission', peer: PEER.address }]);
    c.bindChannel(4, PEER);
    expect(getAttribute(oneRequest(c), Attr.NONCE)).toBe('fresh');
  });

  it('a failed permission refresh emits permission-failed and stops refreshing; removePermission stops too', () => {
    const c = client();
    allocateWithAuth(c, 0);
    const other = socketAddress('192.0.2.20', 1);
    c.createPermission(0, PEER);
    c.createPermission(0, other);
    for (const req of drainTransmit(c).map((b) => decodeStunMessage(b))) deliver(c, 0, reply(req, 'success', []));
    drainEvents(c);
    c.removePermission(other);
    c.handleTimeout(240_000);
    const refreshes = drainTransmit(c).map((b) => decodeStunMessage(b));
    expect(refreshes.map((r) => getAttribute(r, Attr.XOR_PEER_ADDRESS))).toEqual([PEER]);
    deliver(c, 240_001, errorReply(refreshes[0]!, 403));
    const e = drainEvents(c)[0];
    expect(e?.type === 'permission-failed' && e.peer).toBe(PEER.address);
    expect(c.pollTimeout()).toBe(540_000); // only the allocation refresh remains
  });
});
