import type { AgentState } from './agent-state.js';
import { maybeNominate } from './checks.js';

/** Re-evaluate nomination and the connection state after anything happened (W3C RTCIceTransportState). */
export function updateState(s: AgentState, now: number): void {
  if (s.connection === 'closed') return;
  maybeNominate(s, now);
  if (s.selected) {
    const status = s.consent.status(now);
    if (status === 'expired') {
      s.transactions.cancel((t) => t.purpose.kind === 'consent');
      s.setState('failed');
    } else if (status === 'stale') s.setState('disconnected');
    else s.setState(s.generationSelected && checkingDone(s) ? 'completed' : 'connected');
    return;
  }
  // Failed: every pair was checked, none succeeded, and no more candidates can come (RFC 8445 §8.1.2) —
  // or, when the peer never signals end-of-candidates, nothing new happened for the grace period.
  if (s.remote && !s.lite && s.checklist.count('succeeded') === 0 && (checkingDone(s) || graceOver(s, now))) {
    s.setState('failed');
  } else if (s.remote && s.checklist.pairs.length > 0) {
    s.setState('checking');
  }
}

/** When the end-of-candidates grace ends, if it applies: all pairs failed and the peer never signalled the end. */
export function graceDeadline(s: AgentState): number | undefined {
  if (!s.remote || s.lite || s.selected || s.remoteEnded || s.checklist.pairs.length === 0) return undefined;
  if (s.checklist.count('succeeded') > 0 || !checkingDone(s, true)) return undefined;
  return s.lastCheckActivityMs + (s.options.endOfCandidatesGraceMs ?? 10_000);
}

function graceOver(s: AgentState, now: number): boolean {
  const deadline = graceDeadline(s);
  return deadline !== undefined && now >= deadline;
}

/** Nothing left to check: both sides ended gathering and no pair or transaction is pending. */
function checkingDone(s: AgentState, assumeRemoteEnded = false): boolean {
  if ((!s.remoteEnded && !assumeRemoteEnded) || s.gathering !== 'complete' || s.remotes.pendingMdns.size > 0)
    return false;
  if (s.triggered.length > 0 || s.nominating) return false;
  if (s.checklist.count('in-progress') > 0) return false;
  return s.generationSelected || s.checklist.count('waiting', 'frozen') === 0;
}
