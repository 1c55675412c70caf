import type { SocketAddress } from '@rtcwire/common';
import { sameAddress } from '@rtcwire/common';
import type { IceCandidate } from './candidate.js';
import { type CandidatePair, type LocalCandidate, newPairStats, type PairState, pairPriority } from './pair.js';

/**
 * The check list of one ICE session (one data stream, one component: RFC 8445 §6.1.2), kept sorted
 * by pair priority, highest first.
 */
export class Checklist {
  private list: CandidatePair[] = [];
  private nextId = 1;

  constructor(private readonly maxPairs = 100) {}

  get pairs(): readonly CandidatePair[] {
    return this.list;
  }

  clear(): void {
    this.list = [];
  }

  /** Pairs are identified by where datagrams leave from and go to (§6.1.2.4 redundancy). */
  find(local: LocalCandidate, remote: SocketAddress): CandidatePair | undefined {
    const key = localKey(local);
    return this.list.find((p) => localKey(p.local) === key && sameAddress(p.remoteAddress, remote));
  }

  /**
   * Add a pair unless a redundant one exists (§6.1.2.4: same base and remote address; the existing
   * higher-priority one is kept). New pairs start Waiting unless a pair of the same foundation is
   * already Waiting or In-Progress (§6.1.2.6, applied incrementally for trickle ICE, RFC 8838 §10).
   */
  add(
    local: LocalCandidate,
    remote: IceCandidate,
    remoteAddress: SocketAddress,
    controlling: boolean,
  ): CandidatePair | undefined {
    if (this.find(local, remoteAddress)) return undefined;
    const foundation = `${local.candidate.foundation}:${remote.foundation}`;
    const busy = this.list.some(
      (p) => p.foundation === foundation && (p.state === 'waiting' || p.state === 'in-progress'),
    );
    const pair: CandidatePair = {
      id: this.nextId++,
      local,
      remote,
      remoteAddress,
      foundation,
      priority: pairPriority(controlling, local.candidate.priority, remote.priority),
      state: busy ? 'frozen' : 'waiting',
      nominated: false,
      nominateOnSuccess: false,
      stats: newPairStats(),
    };
    this.list.push(pair);
    this.sort();
    // RFC 8445 §6.1.2.5: bound the check list; the lowest-priority pair goes.
    if (this.list.length > this.maxPairs) {
      const dropped = this.list.pop();
      if (dropped === pair) return undefined;
    }
    return pair;
  }

  /** After a role switch (§7.3.1.1) every pair priority changes. */
  recomputePriorities(controlling: boolean): void {
    for (const p of this.list) p.priority = pairPriority(controlling, p.local.candidate.priority, p.remote.priority);
    this.sort();
  }

  count(...states: PairState[]): number {
    let n = 0;
    for (const p of this.list) if (states.includes(p.state)) n++;
    return n;
  }

  /** The highest-priority Waiting pair, or — §6.1.4.2 — unfreeze one of a foundation with no active pair. */
  nextOrdinary(): CandidatePair | undefined {
    const waiting = this.list.find((p) => p.state === 'waiting');
    if (waiting) return waiting;
    for (const p of this.list) {
      if (p.state !== 'frozen') continue;
      const active = this.list.some(
        (q) => q.foundation === p.foundation && (q.state === 'waiting' || q.state === 'in-progress'),
      );
      if (!active) {
        p.state = 'waiting';
        return p;
      }
    }
    return undefined;
  }

  /** Whether `nextOrdinary()` would return a pair. */
  hasOrdinaryWork(): boolean {
    return this.list.some(
      (p) =>
        p.state === 'waiting' ||
        (p.state === 'frozen' &&
          !this.list.some(
            (q) => q.foundation === p.foundation && (q.state === 'waiting' || q.state === 'in-progress'),
          )),
    );
  }

  /** §7.2.5.3.3: a success unfreezes the frozen pairs of the same foundation. */
  unfreezeFoundation(foundation: string): void {
    for (const p of this.list) if (p.foundation === foundation && p.state === 'frozen') p.state = 'waiting';
  }

  /** The highest-priority succeeded pair. */
  bestValid(): CandidatePair | undefined {
    return this.list.find((p) => p.state === 'succeeded');
  }

  private sort(): void {
    this.list.sort((a, b) => (a.priority === b.priority ? a.id - b.id : a.priority > b.priority ? -1 : 1));
  }
}

/** A relayed candidate's base is its relayed address (RFC 8445 §5.1.1), so the base identifies every local candidate. */
function localKey(l: LocalCandidate): string {
  return `${l.base.address}|${l.base.port}`;
}
