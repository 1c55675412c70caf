import { seededRandom, socketAddress } from '@rtcwire/common';
import { Attr, StunMethod, decodeStunMessage, encodeStunMessage, makeAttribute } from '@rtcwire/stun';
import { describe, expect, it } from 'vitest';
import { BindingClient } from '../src/stun-binding.js';

const LOCAL = socketAddress('0.0.0.0', 5000);
const SERVER = socketAddress('192.0.2.1', 3478);
const MAPPED = socketAddress('198.51.100.7', 61000);

function client(timeoutMs = 5000) {
  return new BindingClient(1000, LOCAL, SERVER, seededRandom(7), timeoutMs);
}

function response(tid: Uint8Array, cls: 'success' | 'error' = 'success'): Uint8Array {
  const attributes =
    cls === 'success'
      ? [makeAttribute(Attr.XOR_MAPPED_ADDRESS, MAPPED, tid)]
      : [makeAttribute(Attr.ERROR_CODE, { code: 400, reason: 'Bad Request' })];
  return encodeStunMessage({ class: cls, method: StunMethod.BINDING, transactionId: tid, attributes });
}

describe('BindingClient', () => {
  it('sends one Binding request to the server from the local socket, with FINGERPRINT', () => {
    const c = client();
    const d = c.pollTransmit();
    expect(d?.local).toBe(LOCAL);
    expect(d?.remote).toBe(SERVER);
    const msg = decodeStunMessage(d?.data as Uint8Array);
    expect(msg.class).toBe('request');
    expect(msg.method).toBe(StunMethod.BINDING);
    expect(msg.attributes.map((a) => a.type)).toEqual([0x8028]);
    expect(c.pollTransmit()).toBeUndefined();
  });

  it('reports the XOR-MAPPED-ADDRESS and the time since the request', () => {
    const c = client();
    const tid = decodeStunMessage(c.pollTransmit()?.data as Uint8Array).transactionId;
    c.handleDatagram(1042, { local: LOCAL, remote: SERVER, data: response(tid) });
    expect(c.pollEvent()).toEqual({ type: 'mapped', mapped: MAPPED, rttMs: 42, requests: 1 });
    expect(c.pollTimeout()).toBeUndefined();
  });

  it('retransmits on the RFC 8489 schedule and fails at the give-up time', () => {
    const c = client(2000);
    c.pollTransmit();
    expect(c.pollTimeout()).toBe(1500);
    c.handleTimeout(1500);
    expect(c.pollTransmit()).toBeDefined();
    expect(c.pollTimeout()).toBe(2500);
    c.handleTimeout(2500);
    c.pollTransmit();
    expect(c.pollTimeout()).toBe(3000); // capped by the 2000 ms budget
    c.handleTimeout(3000);
    expect(c.pollEvent()).toEqual({ type: 'failed', reason: 'no response within 2000 ms' });
    expect(c.pollTimeout()).toBeUndefined();
  });

  it('turns an error response into a failure', () => {
    const c = client();
    const tid = decodeStunMessage(c.pollTransmit()?.data as Uint8Array).transactionId;
    c.handleDatagram(1010, { local: LOCAL, remote: SERVER, data: response(tid, 'error') });
    expect(c.pollEvent()).toEqual({ type: 'failed', reason: 'error response 400 Bad Request' });
  });

  it('drops malformed input, foreign transactions and non-STUN bytes', () => {
    const c = client();
    c.pollTransmit();
    const other = new Uint8Array(12).fill(9);
    c.handleDatagram(1001, { local: LOCAL, remote: SERVER, data: response(other) });
    c.handleDatagram(1002, {
      local: LOCAL,
      remote: SERVER,
      data: new Uint8Array([0, 1, 0, 4, 0x21, 0x12, 0xa4, 0x42]),
    });
    c.handleDatagram(1003, { local: LOCAL, remote: SERVER, data: new Uint8Array([0x80, 1, 2, 3]) });
    expect(c.pollEvent()).toBeUndefined();
    expect(c.pollTimeout()).toBe(1500);
  });
});
