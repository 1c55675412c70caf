import type { AgentState } from './agent-state.js';
import { candidatePriority, localPreferenceOf } from './candidate.js';
import { maybeGatheringComplete } from './gathering.js';
import type { CandidatePair } from './pair.js';
import { type Credentials, encodeCheckRequest } from './stun-messages.js';
import { hexId, type Transaction, type TransactionPurpose } from './transactions.js';

/** Whether a check is waiting for a pacing slot: a triggered one, or (before selection) an ordinary one. */
export function hasCheckWork(s: AgentState): boolean {
  if (s.triggered.length > 0) return true;
  return !s.generationSelected && s.checklist.hasOrdinaryWork();
}

/** RFC 8445 §6.1.4.2: one check per Ta — a triggered one first, else the best Waiting pair. */
export function sendNextCheck(s: AgentState, now: number): void {
  let next = s.triggered.shift();
  while (next && next.pair.state === 'succeeded' && !next.useCandidate) next = s.triggered.shift();
  if (!next && !s.generationSelected) {
    const pair = s.checklist.nextOrdinary();
    if (pair) next = { pair, useCandidate: false };
  }
  if (!next) return;
  sendCheck(s, now, next.pair, next.useCandidate);
  s.nextCheckMs = now + (s.options.taMs ?? 50);
}

function sendCheck(s: AgentState, now: number, pair: CandidatePair, useCandidate: boolean): void {
  if (pair.state !== 'succeeded') pair.state = 'in-progress';
  const credentials = s.credentials();
  sendBinding(s, now, pair, credentials, useCandidate, () => ({
    kind: 'check',
    pair,
    useCandidate,
    credentials,
    controlling: s.controllingRole,
  }));
}

/** RFC 7675 §5.1: a consent check on the selected pair, with the credentials it was selected under. */
export function sendConsentCheck(s: AgentState, now: number): void {
  const pair = s.selected as CandidatePair;
  const credentials = s.selectedCredentials as Credentials;
  s.transactions.cancel((t) => t.purpose.kind === 'consent');
  sendBinding(s, now, pair, credentials, false, () => ({ kind: 'consent', pair, credentials }));
  s.consent.scheduleNext(now);
}

function sendBinding(
  s: AgentState,
  now: number,
  pair: CandidatePair,
  credentials: Credentials,
  useCandidate: boolean,
  purpose: () => TransactionPurpose,
): void {
  const transactionId = s.random.bytes(12);
  const bytes = encodeCheckRequest({
    transactionId,
    credentials,
    // §7.2.2: PRIORITY is what a peer-reflexive candidate of ours would get.
    priority: candidatePriority('prflx', localPreferenceOf(pair.local.candidate.priority)),
    controlling: s.controllingRole,
    tieBreaker: s.tieBreaker,
    useCandidate,
  });
  s.transactions.start(now, hexId(transactionId), purpose(), bytes, pair.local.base, pair.remoteAddress);
  pair.stats.requestsSent++;
  s.transmit(pair.local.base, pair.remoteAddress, bytes);
}

/** A transaction ran out of retransmissions: gathering from that server ends, or the checked pair fails. */
export function onTransactionTimeout(s: AgentState, t: Transaction): void {
  const p = t.purpose;
  if (p.kind === 'gather') {
    s.gatherPending--;
    maybeGatheringComplete(s);
  } else if (p.kind === 'check') {
    if (p.pair.state === 'in-progress') p.pair.state = 'failed';
    s.lastCheckActivityMs = s.lastNow;
    if (s.nominating === p.pair) s.nominating = undefined;
  }
}

/** Regular nomination (§8.1.1): nominate the best valid pair once nothing better is pending or after a delay. */
export function maybeNominate(s: AgentState, now: number): void {
  if (!s.controllingRole || s.lite || s.generationSelected || s.nominating || !s.remote) return;
  const best = s.checklist.bestValid();
  if (!best) return;
  const betterPending = s.checklist.pairs.some(
    (q) => q.priority > best.priority && (q.state === 'waiting' || q.state === 'in-progress' || q.state === 'frozen'),
  );
  if (betterPending && now < (s.firstValidMs ?? now) + (s.options.nominationDelayMs ?? 300)) return;
  s.nominating = best;
  s.enqueueTriggered(best, true);
}
