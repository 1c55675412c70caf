import type { SocketAddress } from '@rtcwire/common';
import { socketAddress } from '@rtcwire/common';
import { Attr, type DecodedStunMessage, getAttribute } from '@rtcwire/stun';
import type { AgentState } from './agent-state.js';
import { type CandidateType, formatCandidate, localPreferenceOf } from './candidate.js';
import type { LocalCandidate } from './pair.js';
import { encodeServerBindingRequest } from './stun-messages.js';
import { hexId, type Transaction } from './transactions.js';

/**
 * RFC 8445 §5.1.1: host candidates at once (local preference by the order of the sockets), and a Binding
 * request to every STUN server of the same family for server-reflexive ones. Returns the number of
 * STUN transactions started (gathering completes when they and the TURN allocations have settled).
 */
export function gatherLocal(s: AgentState, now: number): number {
  s.options.localAddresses.forEach((base, i) => {
    const localPref = 0xffff - i;
    addLocal(s, 'host', socketAddress(base.address, base.port), base, localPref);
  });
  if (s.lite) return 0;
  let started = 0;
  for (const base of s.options.localAddresses) {
    for (const server of s.options.stunServers ?? []) {
      if (server.family !== base.family) continue;
      const tid = s.random.bytes(12);
      const bytes = encodeServerBindingRequest(tid);
      s.transactions.start(now, hexId(tid), { kind: 'gather', server }, bytes, base, server);
      s.out.push({ local: base, remote: server, data: bytes });
      started++;
    }
  }
  return started;
}

/** Store a local candidate, announce it (unless peer-reflexive) and pair it with the known remote candidates. */
export function addLocal(
  s: AgentState,
  type: CandidateType,
  address: SocketAddress,
  base: SocketAddress,
  localPref: number,
  server?: SocketAddress,
  related: SocketAddress = base,
): LocalCandidate {
  const local = s.locals.create({
    type,
    address,
    base,
    localPreference: localPref,
    ufrag: s.localUfrag,
    ...(server ? { server } : {}),
    related,
  });
  const candidate = local.candidate;
  if (type === 'prflx') return local;
  s.events.push({ type: 'local-candidate', candidate, sdp: formatCandidate(candidate) });
  // §6.1.2.4: a server-reflexive local candidate is replaced by its base, which already pairs.
  if (type === 'host' || type === 'relay') {
    for (const r of s.remotes.list) s.pairUp(local, r);
  }
  return local;
}

/** A STUN server answered (or refused) a gathering request: a server-reflexive candidate (§5.1.1.2). */
export function handleGatherResponse(
  s: AgentState,
  t: Transaction,
  server: SocketAddress,
  m: DecodedStunMessage,
): void {
  s.transactions.take(hexId(m.transactionId));
  s.gatherPending--;
  const mapped = m.class === 'success' ? getAttribute(m, Attr.XOR_MAPPED_ADDRESS) : undefined;
  const host = s.locals.host(t.local);
  if (mapped && host && !s.locals.has(mapped)) {
    addLocal(s, 'srflx', mapped, t.local, localPreferenceOf(host.candidate.priority), server);
  }
  maybeGatheringComplete(s);
}

/** RFC 8838 §8.2 / W3C: gathering is complete once every STUN and TURN transaction has settled. */
export function maybeGatheringComplete(s: AgentState): void {
  if (s.gathering === 'gathering' && s.gatherPending === 0) {
    s.setGathering('complete');
    s.lastCheckActivityMs = s.lastNow;
    s.events.push({ type: 'end-of-candidates' });
  }
}
