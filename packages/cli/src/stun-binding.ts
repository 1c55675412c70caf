import type { Datagram, DatagramEndpoint, Millis, RandomSource, SocketAddress } from '@rtcwire/common';
import {
  Attr,
  StunMethod,
  StunTransaction,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  isStunMessage,
  newTransactionId,
} from '@rtcwire/stun';

export type BindingEvent =
  | { readonly type: 'mapped'; readonly mapped: SocketAddress; readonly rttMs: Millis; readonly requests: number }
  | { readonly type: 'failed'; readonly reason: string };

/**
 * A one-shot STUN Binding client (RFC 8489 §6.1, §7.2.1) as a sans-IO endpoint: one request on the
 * retransmission schedule of `StunTransaction`, given up at `now + timeoutMs` at the latest.
 */
export class BindingClient implements DatagramEndpoint<BindingEvent> {
  private readonly tx: StunTransaction;
  private readonly startedAt: Millis;
  private readonly giveUpAt: Millis;
  private readonly events: BindingEvent[] = [];
  private finished = false;

  constructor(
    now: Millis,
    private readonly local: SocketAddress,
    private readonly server: SocketAddress,
    random: RandomSource,
    timeoutMs: number,
  ) {
    const request = encodeStunMessage(
      { class: 'request', method: StunMethod.BINDING, transactionId: newTransactionId(random), attributes: [] },
      { fingerprint: true },
    );
    this.tx = new StunTransaction(now, request);
    this.startedAt = now;
    this.giveUpAt = now + timeoutMs;
  }

  handleDatagram(now: Millis, d: Datagram): void {
    if (this.finished || !isStunMessage(d.data)) return;
    let msg: ReturnType<typeof decodeStunMessage>;
    try {
      msg = decodeStunMessage(d.data);
    } catch {
      return; // malformed input is dropped (ParseError)
    }
    if (!this.tx.handleResponse(msg)) return;
    this.collect(now);
  }

  handleTimeout(now: Millis): void {
    if (this.finished) return;
    if (now >= this.giveUpAt) {
      this.tx.cancel();
      this.finish({ type: 'failed', reason: `no response within ${Math.round(now - this.startedAt)} ms` });
      return;
    }
    this.tx.handleTimeout(now);
    this.collect(now);
  }

  pollTransmit(): Datagram | undefined {
    const data = this.tx.pollTransmit();
    return data ? { local: this.local, remote: this.server, data, protocol: 'udp' } : undefined;
  }

  pollEvent(): BindingEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): Millis | undefined {
    if (this.finished) return undefined;
    const t = this.tx.pollTimeout();
    return t === undefined ? this.giveUpAt : Math.min(t, this.giveUpAt);
  }

  private collect(now: Millis): void {
    const r = this.tx.pollResult();
    if (!r) return;
    if (r.type === 'timeout') {
      this.finish({ type: 'failed', reason: 'no response (retransmissions exhausted)' });
      return;
    }
    if (r.type === 'error') {
      this.finish({ type: 'failed', reason: `error response ${r.code} ${r.reason}` });
      return;
    }
    let mapped: SocketAddress | undefined;
    try {
      mapped = getAttribute(r.response, Attr.XOR_MAPPED_ADDRESS) ?? getAttribute(r.response, Attr.MAPPED_ADDRESS);
    } catch {
      mapped = undefined;
    }
    if (!mapped) this.finish({ type: 'failed', reason: 'response without a (XOR-)MAPPED-ADDRESS' });
    else this.finish({ type: 'mapped', mapped, rttMs: now - this.startedAt, requests: this.tx.requestsSent });
  }

  private finish(e: BindingEvent): void {
    this.finished = true;
    this.events.push(e);
  }
}
