import { bytesEqual, type Millis, ParseError } from '@rtcwire/common';
import { getAttribute } from './attributes/codec.js';
import { ERROR_CODE } from './attributes/structured.js';
import type { StunMessage } from './message.js';

/** RFC 8489 §6.2.1 parameters. */
export interface TransactionOptions {
  /** Initial retransmission timeout (default 500 ms). */
  readonly rtoMs?: number;
  /** Rc: total number of requests sent over unreliable transports (default 7). */
  readonly maxRequests?: number;
  /** Rm: the wait after the last request is Rm × initial RTO (default 16). */
  readonly lastWaitFactor?: number;
  /** Reliable transport (TCP/TLS): send once, fail after `reliableTimeoutMs` (RFC 8489 §6.2.2). */
  readonly reliable?: boolean;
  /** Ti for reliable transports (default 39 500 ms). */
  readonly reliableTimeoutMs?: number;
}

export type TransactionResult<M extends StunMessage = StunMessage> =
  | { readonly type: 'success'; readonly response: M }
  | { readonly type: 'error'; readonly response: M; readonly code: number; readonly reason: string }
  | { readonly type: 'timeout' };

/**
 * One client transaction, sans-IO: the request bytes come out of `pollTransmit()` on the RFC 8489
 * §6.2.1 schedule (with RTO 500 ms: 0, 500, 1500, 3500, 7500, 15500, 31500, then failure at 39500),
 * responses go into `handleResponse()`, and the outcome comes out of `pollResult()` once.
 */
export class StunTransaction<M extends StunMessage = StunMessage> {
  readonly transactionId: Uint8Array;
  readonly request: Uint8Array;
  private readonly rto: number;
  private readonly rc: number;
  private readonly rm: number;
  private readonly reliable: boolean;
  private sends = 0;
  private interval: number;
  private deadline: Millis;
  private pendingTransmit = false;
  private result: TransactionResult<M> | undefined;
  private resultTaken = false;

  constructor(now: Millis, request: Uint8Array, options: TransactionOptions = {}) {
    if (request.byteLength < 20) throw new RangeError('request shorter than a STUN header');
    this.request = request;
    this.transactionId = request.subarray(8, 20);
    this.rto = options.rtoMs ?? 500;
    this.rc = Math.max(1, options.maxRequests ?? 7);
    this.rm = options.lastWaitFactor ?? 16;
    this.reliable = options.reliable ?? false;
    this.interval = this.rto;
    this.sends = 1;
    this.pendingTransmit = true;
    if (this.reliable) this.deadline = now + (options.reliableTimeoutMs ?? 39_500);
    else this.deadline = now + (this.rc > 1 ? this.rto : this.rm * this.rto);
  }

  /** True once a result exists (success, error response or timeout) or after cancel(). */
  get done(): boolean {
    return this.result !== undefined || this.resultTaken;
  }

  /** Number of times the request has been (or is queued to be) sent. */
  get requestsSent(): number {
    return this.sends;
  }

  pollTransmit(): Uint8Array | undefined {
    if (!this.pendingTransmit || this.done) return undefined;
    this.pendingTransmit = false;
    return this.request;
  }

  pollTimeout(): Millis | undefined {
    return this.done ? undefined : this.deadline;
  }

  handleTimeout(now: Millis): void {
    if (this.done || now < this.deadline) return;
    if (this.reliable || this.sends >= this.rc) {
      this.result = { type: 'timeout' };
      return;
    }
    // RFC 8489 §6.2.1: retransmit, doubling the RTO after each one.
    this.pendingTransmit = true;
    this.sends++;
    this.interval *= 2;
    this.deadline = now + (this.sends < this.rc ? this.interval : this.rm * this.rto);
  }

  /** True when `msg` is a response to this transaction. */
  matches(msg: StunMessage): boolean {
    return (msg.class === 'success' || msg.class === 'error') && bytesEqual(msg.transactionId, this.transactionId);
  }

  /**
   * Feed a response. Returns true when it completed the transaction; false when it does not belong
   * here, the transaction is already done, or an error response lacks a valid ERROR-CODE (dropped).
   */
  handleResponse(msg: M): boolean {
    if (this.done || !this.matches(msg)) return false;
    if (msg.class === 'success') {
      this.result = { type: 'success', response: msg };
      return true;
    }
    let ec: { code: number; reason: string } | undefined;
    try {
      ec = getAttribute(msg, ERROR_CODE);
    } catch (err) {
      if (err instanceof ParseError) return false;
      throw err;
    }
    if (!ec) return false;
    this.result = { type: 'error', response: msg, code: ec.code, reason: ec.reason };
    return true;
  }

  /** The outcome, returned once. */
  pollResult(): TransactionResult<M> | undefined {
    if (this.resultTaken || !this.result) return undefined;
    this.resultTaken = true;
    return this.result;
  }

  /** Stop retransmitting; no result will be produced. */
  cancel(): void {
    if (!this.result) this.resultTaken = true;
  }
}
