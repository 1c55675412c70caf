import { socketAddress } from '@rtcwire/common';
import { Attr, decodeStunMessage, encodeChannelData, getAttribute, StreamFramer, StunMethod } from '@rtcwire/stun';
import { describe, expect, it } from 'vitest';
import { TurnClient } from '../../src/turn/index.js';
import {
  allocateSuccess,
  drainEvents,
  drainTransmit,
  PASS,
  RELAYED,
  reply,
  SERVER,
  unauthorized,
  USER,
} from './scripted-server.js';

const PEER = socketAddress('192.0.2.10', 7000);

/** Over TCP/TLS the server's bytes arrive as arbitrary chunks; feed them three bytes at a time. */
function feedInPieces(c: TurnClient, now: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.byteLength; i += 3) c.handleBytes(now, bytes.subarray(i, i + 3));
}

function requests(c: TurnClient) {
  const framer = new StreamFramer();
  const out = [];
  for (const chunk of drainTransmit(c)) out.push(...framer.push(chunk));
  return out;
}

describe('TurnClient over a stream transport (TCP/TLS)', () => {
  it('allocates with byte-split responses, sends once (no retransmissions), pads ChannelData', () => {
    const c = new TurnClient({ server: SERVER, username: USER, password: PASS, transport: 'tcp' });
    c.allocate(0);
    const [first] = requests(c);
    expect(first?.kind).toBe('stun');
    if (first?.kind !== 'stun') return;
    // Reliable transport: no retransmission, one timeout at Ti = 39.5 s (RFC 8489 §6.2.2).
    expect(c.pollTimeout()).toBe(39_500);
    feedInPieces(c, 1, unauthorized(decodeStunMessage(first.bytes)));
    const [second] = requests(c);
    if (second?.kind !== 'stun') throw new Error('expected STUN');
    const alloc = decodeStunMessage(second.bytes);
    feedInPieces(c, 2, allocateSuccess(alloc));
    expect(drainEvents(c).map((e) => e.type)).toEqual(['allocated']);
    expect(c.relayedAddress).toEqual(RELAYED);

    c.bindChannel(3, PEER);
    const [bind] = requests(c);
    if (bind?.kind !== 'stun') throw new Error('expected STUN');
    const bindReq = decodeStunMessage(bind.bytes);
    expect(bindReq.method).toBe(StunMethod.CHANNEL_BIND);
    const cd = encodeChannelData(0x4000, new Uint8Array([1, 2, 3, 4, 5]), { pad: true });
    // The bind success and a padded ChannelData frame coalesced in one chunk.
    const both = new Uint8Array([...reply(bindReq, 'success', []), ...cd]);
    c.handleBytes(4, both);
    expect(drainEvents(c)).toEqual([
      { type: 'permission', peer: PEER.address },
      { type: 'channel-bound', peer: PEER, channel: 0x4000 },
      { type: 'data', peer: PEER, data: new Uint8Array([1, 2, 3, 4, 5]), channel: 0x4000 },
    ]);
    c.send(5, PEER, new Uint8Array([9, 9, 9]));
    const out = drainTransmit(c);
    expect(out).toHaveLength(1);
    expect(out[0]?.byteLength).toBe(8); // 4-byte header + 3 bytes + 1 padding (RFC 8656 §12.5)
    expect(getAttribute(bindReq, Attr.CHANNEL_NUMBER)).toBe(0x4000);
  });

  it('an out-of-sync stream fails the client with stream-error', () => {
    const c = new TurnClient({ server: SERVER, username: USER, password: PASS, transport: 'tls' });
    c.allocate(0);
    drainTransmit(c);
    c.handleBytes(1, new Uint8Array([0xff, 0, 0, 0]));
    const e = drainEvents(c)[0];
    expect(e?.type === 'failed' && e.error.code).toBe('stream-error');
    expect(c.drops.get('stream-desync')).toBe(1);
  });

  it('a closed connection fails a live allocation and completes a pending close', () => {
    const live = new TurnClient({ server: SERVER, username: USER, password: PASS, transport: 'tcp' });
    live.allocate(0);
    live.handleTransportClosed(1);
    const e = drainEvents(live)[0];
    expect(e?.type === 'failed' && [e.error.code, e.error.operation]).toEqual(['stream-error', 'transport']);
    expect(live.pollTimeout()).toBeUndefined();

    const closing = new TurnClient({ server: SERVER, username: USER, password: PASS, transport: 'tcp' });
    closing.allocate(0);
    const [first] = requests(closing);
    if (first?.kind !== 'stun') throw new Error('expected STUN');
    closing.handleBytes(1, unauthorized(decodeStunMessage(first.bytes)));
    const [second] = requests(closing);
    if (second?.kind !== 'stun') throw new Error('expected STUN');
    closing.handleBytes(2, allocateSuccess(decodeStunMessage(second.bytes)));
    closing.close(3);
    expect(closing.state).toBe('closing');
    closing.handleTransportClosed(4);
    expect(drainEvents(closing).map((x) => x.type)).toEqual(['allocated', 'closed']);
  });
});
