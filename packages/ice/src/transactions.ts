import type { SocketAddress } from '@rtcwire/common';
import type { CandidatePair } from './pair.js';
import type { Credentials } from './stun-messages.js';

/** What an outstanding request was for. */
export type TransactionPurpose =
  | { readonly kind: 'gather'; readonly server: SocketAddress }
  | {
      readonly kind: 'check';
      readonly pair: CandidatePair;
      readonly useCandidate: boolean;
      readonly credentials: Credentials;
      /** The role we claimed, to detect a role change while in flight (§7.2.5.1). */
      readonly controlling: boolean;
    }
  | { readonly kind: 'consent'; readonly pair: CandidatePair; readonly credentials: Credentials };

export interface Transaction {
  readonly id: string;
  readonly purpose: TransactionPurpose;
  readonly bytes: Uint8Array;
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  readonly startedMs: number;
  /** How many times it was sent so far. */
  sent: number;
  nextAtMs: number;
  rtoMs: number;
}

/**
 * Outstanding STUN requests with RFC 8489 §6.2.1-style retransmission: the first retransmission
 * after `initialRtoMs`, doubling up to `maxRtoMs`, giving up after `maxTransmissions` sends plus one
 * last RTO. ICE checks are paced by Ta separately (RFC 8445 §14).
 */
export class TransactionTable {
  private readonly byId = new Map<string, Transaction>();

  constructor(
    private readonly initialRtoMs: number,
    private readonly maxRtoMs: number,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** Register a request that is being sent now. */
  start(
    now: number,
    id: string,
    purpose: TransactionPurpose,
    bytes: Uint8Array,
    local: SocketAddress,
    remote: SocketAddress,
  ): Transaction {
    const t: Transaction = {
      startedMs: now,
      id,
      purpose,
      bytes,
      local,
      remote,
      sent: 1,
      nextAtMs: now + this.initialRtoMs,
      rtoMs: this.initialRtoMs,
    };
    this.byId.set(id, t);
    return t;
  }

  peek(id: string): Transaction | undefined {
    return this.byId.get(id);
  }

  take(id: string): Transaction | undefined {
    const t = this.byId.get(id);
    if (t) this.byId.delete(id);
    return t;
  }

  /** Cancel every transaction matching `predicate` (no callback). */
  cancel(predicate: (t: Transaction) => boolean): void {
    for (const [id, t] of this.byId) if (predicate(t)) this.byId.delete(id);
  }

  nextDeadline(): number | undefined {
    let best: number | undefined;
    for (const t of this.byId.values()) if (best === undefined || t.nextAtMs < best) best = t.nextAtMs;
    return best;
  }

  /**
   * Advance to `now`: returns the transactions to resend and those that timed out (removed).
   */
  due(now: number, maxTransmissions: (t: Transaction) => number): { resend: Transaction[]; expired: Transaction[] } {
    const resend: Transaction[] = [];
    const expired: Transaction[] = [];
    for (const [id, t] of this.byId) {
      if (t.nextAtMs > now) continue;
      if (t.sent >= maxTransmissions(t)) {
        this.byId.delete(id);
        expired.push(t);
        continue;
      }
      t.sent++;
      t.rtoMs = Math.min(t.rtoMs * 2, this.maxRtoMs);
      t.nextAtMs = now + t.rtoMs;
      resend.push(t);
    }
    return { resend, expired };
  }
}

export function hexId(tid: Uint8Array): string {
  let s = '';
  for (const b of tid) s += b.toString(16).padStart(2, '0');
  return s;
}
