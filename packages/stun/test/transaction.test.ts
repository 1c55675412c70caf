import { fromHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  Attr,
  decodeStunMessage,
  encodeStunMessage,
  makeAttribute,
  StunMethod,
  StunTransaction,
  type TransactionOptions,
} from '../src/index.js';

const tid = fromHex('0102030405060708090a0b0c');
const request = encodeStunMessage({ class: 'request', method: StunMethod.BINDING, transactionId: tid, attributes: [] });

/** Drive a transaction in simulated time, jumping to each deadline; returns send times and the end. */
function run(options: TransactionOptions): { sends: number[]; end: number; result: string | undefined } {
  const t = new StunTransaction(0, request, options);
  const sends: number[] = [];
  let now = 0;
  for (;;) {
    while (t.pollTransmit()) sends.push(now);
    const r = t.pollResult();
    if (r) return { sends, end: now, result: r.type };
    const next = t.pollTimeout();
    if (next === undefined) return { sends, end: now, result: undefined };
    now = next;
    t.handleTimeout(now);
  }
}

describe('StunTransaction (RFC 8489 §6.2.1)', () => {
  it('retransmits at 0, 500, 1500, 3500, 7500, 15500, 31500 and fails at 39500', () => {
    const { sends, end, result } = run({});
    expect(sends).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(end).toBe(39500);
    expect(result).toBe('timeout');
  });

  it('honours a configured RTO, Rc and Rm', () => {
    const { sends, end } = run({ rtoMs: 100, maxRequests: 3, lastWaitFactor: 4 });
    expect(sends).toEqual([0, 100, 300]);
    expect(end).toBe(700);
  });

  it('reliable transports send once and time out after Ti', () => {
    const { sends, end, result } = run({ reliable: true });
    expect(sends).toEqual([0]);
    expect(end).toBe(39500);
    expect(result).toBe('timeout');
  });

  it('an early handleTimeout does nothing', () => {
    const t = new StunTransaction(1000, request);
    expect(t.pollTransmit()).toBe(request);
    t.handleTimeout(1499);
    expect(t.pollTransmit()).toBeUndefined();
    t.handleTimeout(1500);
    expect(t.pollTransmit()).toBe(request);
    expect(t.pollTimeout()).toBe(2500);
  });

  it('completes on a matching success response and stops retransmitting', () => {
    const t = new StunTransaction(0, request);
    t.pollTransmit();
    const other = decodeStunMessage(
      encodeStunMessage({ class: 'success', method: 1, transactionId: new Uint8Array(12), attributes: [] }),
    );
    expect(t.handleResponse(other)).toBe(false);
    const resp = decodeStunMessage(
      encodeStunMessage({ class: 'success', method: 1, transactionId: tid, attributes: [] }),
    );
    expect(t.handleResponse(resp)).toBe(true);
    expect(t.handleResponse(resp)).toBe(false);
    expect(t.pollTimeout()).toBeUndefined();
    expect(t.pollResult()).toEqual({ type: 'success', response: resp });
    expect(t.pollResult()).toBeUndefined();
  });

  it('reports error responses with code and reason; drops ones without ERROR-CODE', () => {
    const t = new StunTransaction(0, request);
    const bare = decodeStunMessage(
      encodeStunMessage({ class: 'error', method: 1, transactionId: tid, attributes: [] }),
    );
    expect(t.handleResponse(bare)).toBe(false);
    const err = decodeStunMessage(
      encodeStunMessage({
        class: 'error',
        method: 1,
        transactionId: tid,
        attributes: [makeAttribute(Attr.ERROR_CODE, { code: 401, reason: 'Unauthorized' })],
      }),
    );
    expect(t.handleResponse(err)).toBe(true);
    expect(t.pollResult()).toMatchObject({ type: 'error', code: 401, reason: 'Unauthorized' });
  });

  it('ignores requests and indications with the same id', () => {
    const t = new StunTransaction(0, request);
    expect(t.handleResponse(decodeStunMessage(request))).toBe(false);
  });

  it('cancel stops everything without a result', () => {
    const t = new StunTransaction(0, request);
    t.cancel();
    expect(t.pollTransmit()).toBeUndefined();
    expect(t.pollTimeout()).toBeUndefined();
    expect(t.pollResult()).toBeUndefined();
    expect(t.done).toBe(true);
  });
});
