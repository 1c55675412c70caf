import type { Datagram } from '@rtcwire/common';
import { sameAddress } from '@rtcwire/common';
import { Attr, type DecodedStunMessage, getAttribute, shortTermKey, verifyIntegrity } from '@rtcwire/stun';
import type { AgentState } from './agent-state.js';
import { localPreferenceOf } from './candidate.js';
import { addLocal, handleGatherResponse } from './gathering.js';
import { hexId } from './transactions.js';

/**
 * A Binding response: to a gathering request (server-reflexive candidate), a consent check (RFC 7675) or a
 * connectivity check (RFC 8445 §7.2.5: success makes the pair valid, 487 repairs the role, others fail it).
 */
export function handleResponse(s: AgentState, now: number, d: Datagram, m: DecodedStunMessage): void {
  const id = hexId(m.transactionId);
  const t = s.transactions.peek(id);
  if (!t) {
    s.drops.add('response-unknown-transaction');
    return;
  }
  const p = t.purpose;
  if (p.kind === 'gather') {
    handleGatherResponse(s, t, p.server, m);
    return;
  }
  // Checks and consent are authenticated with the peer's password (§7.2.5.1).
  if (!verifyIntegrity(m.raw, shortTermKey(p.credentials.remotePwd), 'sha1')) {
    s.drops.add('response-bad-integrity');
    return;
  }
  s.transactions.take(id);
  const stats = p.pair.stats;
  stats.responsesReceived++;
  if (t.sent === 1) {
    // Karn's rule: only unambiguous (not retransmitted) transactions give an RTT sample.
    stats.currentRoundTripTimeMs = now - t.startedMs;
    stats.totalRoundTripTimeMs += now - t.startedMs;
    stats.roundTripTimeMeasurements++;
  }
  if (p.kind === 'consent') {
    if (m.class === 'success') s.consent.refreshed(now);
    return;
  }
  const pair = p.pair;
  if (m.class === 'error') {
    const code = getAttribute(m, Attr.ERROR_CODE)?.code;
    if (code === 487) {
      // §7.2.5.1: switch role (unless it already changed) and retry the pair.
      if (p.controlling === s.controllingRole) s.switchRole(!p.controlling);
      pair.state = 'waiting';
      s.enqueueTriggered(pair, false);
    } else {
      pair.state = 'failed';
      s.lastCheckActivityMs = now;
      if (s.nominating === pair) s.nominating = undefined;
    }
    return;
  }
  // §7.2.5.2.1: non-symmetric transport addresses fail the check.
  if (!sameAddress(d.remote, t.remote) || !sameAddress(d.local, t.local)) {
    pair.state = 'failed';
    s.lastCheckActivityMs = now;
    s.drops.add('response-asymmetric');
    return;
  }
  const mapped = getAttribute(m, Attr.XOR_MAPPED_ADDRESS);
  if (mapped && !s.locals.has(mapped)) {
    // §7.2.5.3.1: a local peer-reflexive candidate (not signalled).
    addLocal(s, 'prflx', mapped, t.local, localPreferenceOf(pair.local.candidate.priority));
  }
  pair.state = 'succeeded';
  s.checklist.unfreezeFoundation(pair.foundation);
  s.firstValidMs ??= now;
  if (p.useCandidate && p.controlling && s.controllingRole) {
    s.nominating = undefined;
    s.nominate(now, pair);
  } else if (pair.nominateOnSuccess && !s.controllingRole) {
    s.nominate(now, pair);
  }
}
