import type { Datagram } from '@rtcwire/common';
import { sameAddress } from '@rtcwire/common';
import {
  Attr,
  type DecodedStunMessage,
  getAttribute,
  shortTermKey,
  verifyFingerprint,
  verifyIntegrity,
} from '@rtcwire/stun';
import type { AgentState } from './agent-state.js';
import { encodeCheckError, encodeCheckSuccess, requestRole } from './stun-messages.js';

/**
 * RFC 8445 §7.3: a connectivity check from the peer. Authenticated with our current (or, during a restart,
 * previous) password; answered with a success, a 400 or a 487 (role conflict, §7.3.1.1); learns peer-reflexive
 * candidates (§7.3.1.3), queues triggered checks (§7.3.1.4) and takes nominations (§7.3.1.5).
 */
export function handleRequest(s: AgentState, now: number, d: Datagram, m: DecodedStunMessage): void {
  if (s.options.relayOnly && s.locals.byBase(d.local)?.candidate.type !== 'relay') {
    s.drops.add('check-not-relayed');
    return;
  }
  // §7.3: FINGERPRINT is mandatory for ICE checks; USERNAME is "ourUfrag:theirUfrag".
  if (!verifyFingerprint(m.raw)) {
    s.drops.add('check-bad-fingerprint');
    return;
  }
  const username = getAttribute(m, Attr.USERNAME);
  const ourUfrag = username?.split(':')[0];
  let pwd: string;
  let current = true;
  if (ourUfrag === s.localUfrag) pwd = s.localPwd;
  else if (s.oldCredentials && ourUfrag === s.oldCredentials.localUfrag) {
    pwd = s.oldCredentials.localPwd;
    current = false;
  } else {
    s.drops.add('check-unknown-username');
    return;
  }
  if (!verifyIntegrity(m.raw, shortTermKey(pwd), 'sha1')) {
    s.drops.add('check-bad-integrity');
    return;
  }
  const role = requestRole(m);
  const priority = getAttribute(m, Attr.PRIORITY);
  if (!role || priority === undefined) {
    respond(s, d, encodeCheckError(m, 400, 'Bad Request', pwd));
    s.drops.add('check-missing-attribute');
    return;
  }
  // §7.3.1.1: role conflict repair by tie-breaker.
  if (role.controlling === s.controllingRole) {
    const weWin = s.tieBreaker >= role.tieBreaker;
    if (s.controllingRole === weWin) {
      respond(s, d, encodeCheckError(m, 487, 'Role Conflict', pwd));
      return;
    }
    s.switchRole(!s.controllingRole);
  }
  respond(s, d, encodeCheckSuccess(m, d.remote, pwd));
  const useCandidate = getAttribute(m, Attr.USE_CANDIDATE) === true;
  if (!current) {
    // The peer's consent checks on the pre-restart pair: answered above; for a lite agent they are its consent.
    if (s.lite && s.selected && sameAddress(s.selected.remoteAddress, d.remote)) s.consent.refreshed(now);
    return;
  }
  const local = s.locals.byBase(d.local);
  if (!local) {
    s.drops.add('check-on-unknown-socket');
    return;
  }
  // §7.3.1.3: an unknown source is a peer-reflexive remote candidate, paired with the candidate the check arrived on.
  let remote = s.remotes.find(d.remote);
  if (!remote) {
    remote = s.remotes.addPeerReflexive(d.remote, priority);
    s.lastCheckActivityMs = now;
  }
  const pair = s.checklist.find(local, d.remote) ?? s.pairUp(local, remote);
  if (!pair) return;
  pair.stats.requestsReceived++;
  pair.stats.responsesSent++;
  if (s.lite) {
    // §2.5 / §7.3.1.5 for lite agents: a valid check makes the pair valid; USE-CANDIDATE selects it.
    pair.state = 'succeeded';
    if (s.selected === pair) s.consent.refreshed(now);
    if (useCandidate) s.nominate(now, pair);
    return;
  }
  // §7.3.1.5: the controlled agent learns nominations from USE-CANDIDATE.
  if (useCandidate && !s.controllingRole) {
    if (pair.state === 'succeeded') s.nominate(now, pair);
    else pair.nominateOnSuccess = true;
  }
  // §7.3.1.4: triggered check, unless the pair already succeeded or is being checked.
  if (pair.state !== 'succeeded' && pair.state !== 'in-progress') {
    pair.state = 'waiting';
    s.enqueueTriggered(pair, false);
  }
}

function respond(s: AgentState, d: Datagram, bytes: Uint8Array): void {
  s.transmit(d.local, d.remote, bytes);
}
