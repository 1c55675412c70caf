import type { Datagram, DatagramEndpoint, DropCounters } from '@rtcwire/common';
import { InvalidStateError, isParseError, randomIceString, sameAddress } from '@rtcwire/common';
import { type DecodedStunMessage, decodeStunMessage, isStunMessage, StunMethod } from '@rtcwire/stun';
import { AgentState } from './agent-state.js';
import { type IceCandidate, isMdnsName, localPreferenceOf } from './candidate.js';
import { hasCheckWork, maybeNominate, onTransactionTimeout, sendConsentCheck, sendNextCheck } from './checks.js';
import { graceDeadline, updateState } from './connection-state.js';
import { addLocal, gatherLocal, maybeGatheringComplete } from './gathering.js';
import { type CandidatePair, describePair, receivesData, reportPair } from './pair.js';
import { Relays } from './relays.js';
import { handleRequest } from './requests.js';
import { handleResponse } from './responses.js';
import type {
  IceAgentOptions,
  IceConnectionState,
  IceEvent,
  IceGatheringState,
  IceParameters,
  PairReport,
  SelectedPair,
} from './types.js';

/**
 * The RFC 8445 ICE agent (full or lite, one component) as a sans-IO `DatagramEndpoint<IceEvent>`.
 * This class is the public surface and the demultiplexer; the parts live in their own modules over a
 * shared `AgentState`: gathering, checks and nomination, incoming requests (§7.3), responses (§7.2.5)
 * and the connection state.
 */
export class IceAgent implements DatagramEndpoint<IceEvent> {
  readonly drops: DropCounters;
  private readonly s: AgentState;

  constructor(options: IceAgentOptions) {
    const lite = options.lite ?? false;
    this.s = new AgentState(
      options,
      (s) =>
        new Relays(
          lite ? [] : (options.turnServers ?? []),
          options.localAddresses,
          s.random,
          s.log,
          {
            onAllocated: (_now, relayed, mapped, socket, server) => {
              const host = s.locals.byBase(socket);
              const pref = host ? localPreferenceOf(host.candidate.priority) : 0xffff;
              addLocal(s, 'relay', relayed, relayed, pref, server, mapped ?? socket);
            },
            onAllocationSettled: () => {
              s.gatherPending--;
              maybeGatheringComplete(s);
            },
            onRelayed: (now, d) => this.dispatch(now, d),
          },
          s.out,
        ),
    );
    this.drops = this.s.drops;
  }

  // ---- public API -------------------------------------------------------------------------

  get localParameters(): IceParameters {
    return { usernameFragment: this.s.localUfrag, password: this.s.localPwd, iceLite: this.s.lite };
  }
  get controlling(): boolean {
    return this.s.controllingRole;
  }
  get state(): IceConnectionState {
    return this.s.connection;
  }
  get gatheringState(): IceGatheringState {
    return this.s.gathering;
  }
  get selectedPair(): SelectedPair | undefined {
    return this.s.selected ? describePair(this.s.selected) : undefined;
  }
  get localCandidates(): readonly IceCandidate[] {
    return this.s.locals.signalled();
  }
  get remoteCandidates(): readonly IceCandidate[] {
    return this.s.remotes.list.map((r) => r.candidate);
  }
  /** Pair states, highest priority first (for stats and tests). */
  get pairs(): readonly PairReport[] {
    return this.s.checklist.pairs.map((p) => reportPair(p, p === this.s.selected));
  }

  /** Set (or, with a new ufrag, change: ICE restart by the peer) the remote credentials. */
  setRemoteParameters(now: number, params: IceParameters): void {
    const s = this.s;
    s.lastNow = now;
    if (s.connection === 'closed') throw new InvalidStateError('agent closed');
    if (s.remote && s.remote.usernameFragment !== params.usernameFragment && !s.restartPending) this.restart(now);
    s.remote = params;
    s.restartPending = false;
    // RFC 8445 §6.1.1: facing a lite peer, the full agent is controlling.
    if (params.iceLite && !s.lite && !s.controllingRole) s.switchRole(true);
    updateState(s, now);
  }

  /** Start gathering: host candidates at once, server-reflexive ones via the STUN servers. */
  gather(now: number): void {
    const s = this.s;
    s.lastNow = now;
    if (s.connection === 'closed') throw new InvalidStateError('agent closed');
    if (s.gathering === 'gathering') return;
    s.setGathering('gathering');
    s.gatherPending += gatherLocal(s, now);
    if (!s.lite) s.gatherPending += s.relays.gather(now);
    maybeGatheringComplete(s);
    updateState(s, now);
  }

  /** Add a trickled or signalled remote candidate (RFC 8838). TCP candidates are ignored. */
  addRemoteCandidate(now: number, candidate: IceCandidate): void {
    const s = this.s;
    s.lastNow = now;
    if (s.connection === 'closed') return;
    if (candidate.protocol !== 'udp' || candidate.component !== 1) {
      s.drops.add('remote-candidate-unsupported');
      return;
    }
    // A trickled candidate carries its generation's ufrag (RFC 8838, JSEP); another ufrag means another
    // ICE generation, e.g. one from before a restart.
    const ufrag = candidate.extensions?.find(([k]) => k === 'ufrag')?.[1];
    if (ufrag !== undefined && s.remote && ufrag !== s.remote.usernameFragment) {
      s.drops.add('remote-candidate-other-generation');
      return;
    }
    if (isMdnsName(candidate.address)) {
      if (s.remotes.deferMdns(candidate))
        s.events.push({ type: 'mdns-resolve', name: candidate.address.toLowerCase() });
      return;
    }
    s.addRemote(candidate);
    updateState(s, now);
  }

  /** RFC 8838 §8.2: the peer signalled end-of-candidates for this generation. */
  endOfRemoteCandidates(now: number): void {
    this.s.remoteEnded = true;
    updateState(this.s, now);
  }

  /** Answer an `mdns-resolve` event: the name's IP address, or undefined when it did not resolve. */
  resolveMdns(now: number, name: string, address: string | undefined): void {
    const waiting = this.s.remotes.takeMdns(name);
    if (!waiting) return;
    if (address === undefined) this.s.drops.add('mdns-unresolved', waiting.length);
    else for (const c of waiting) this.s.addRemote({ ...c, address });
    updateState(this.s, now);
  }

  /**
   * ICE restart (RFC 8445 §9): new local credentials and a new check list; media keeps flowing on
   * the current selected pair (with the old credentials for consent) until a new pair is selected.
   */
  restart(now: number): void {
    const s = this.s;
    s.lastNow = now;
    if (s.connection === 'closed') throw new InvalidStateError('agent closed');
    if (s.consent.expired || !s.selected) {
      s.selected = undefined;
      s.selectedCredentials = undefined;
      s.consent.stop();
      s.consent.expired = false;
    } else if (s.remote) {
      s.oldCredentials = s.credentials();
    }
    s.localUfrag = randomIceString(s.random, 8);
    s.localPwd = randomIceString(s.random, 24);
    s.restartPending = true;
    s.checklist.clear();
    s.triggered = [];
    s.transactions.cancel((t) => t.purpose.kind !== 'consent');
    s.remotes.clear();
    s.locals.clear();
    s.remoteEnded = false;
    s.generationSelected = false;
    s.nominating = undefined;
    s.firstValidMs = undefined;
    s.gatherPending = 0;
    s.gathering = 'new';
    if (!s.selected) s.setState('checking');
    this.gather(now);
  }

  /** Send an application datagram on the selected pair. False when there is none (or consent expired). */
  send(data: Uint8Array): boolean {
    const s = this.s;
    const p = s.selected;
    if (!p || s.consent.expired || s.connection === 'closed') return false;
    p.stats.packetsSent++;
    p.stats.bytesSent += data.byteLength;
    s.transmit(p.local.base, p.remoteAddress, data);
    return true;
  }

  close(): void {
    const s = this.s;
    if (s.connection === 'closed') return;
    s.transactions.cancel(() => true);
    s.relays.close(s.lastNow);
    s.triggered = [];
    s.consent.stop();
    s.selected = undefined;
    s.connection = 'closed';
    s.events.push({ type: 'state', state: 'closed' });
  }

  // ---- DatagramEndpoint ---------------------------------------------------------------------

  handleDatagram(now: number, d: Datagram): void {
    const s = this.s;
    s.lastNow = now;
    if (s.connection === 'closed') return;
    if (!s.relays.handleDatagram(now, d)) this.dispatch(now, d);
    updateState(s, now);
  }

  handleTimeout(now: number): void {
    const s = this.s;
    s.lastNow = now;
    if (s.connection === 'closed') return;
    const { resend, expired } = s.transactions.due(now, (t) =>
      t.purpose.kind === 'gather' ? 4 : (s.options.maxCheckTransmissions ?? 7),
    );
    for (const t of resend) {
      if (t.purpose.kind !== 'gather') t.purpose.pair.stats.requestsSent++;
      s.transmit(t.local, t.remote, t.bytes);
    }
    s.relays.handleTimeout(now);
    for (const t of expired) onTransactionTimeout(s, t);
    // Nominate before pacing so a nomination that became due is sent now, not left as a stale deadline.
    maybeNominate(s, now);
    if (!s.lite && s.remote && now >= s.nextCheckMs) sendNextCheck(s, now);
    if (s.selected && !s.lite && s.consent.nextCheckMs !== undefined && now >= s.consent.nextCheckMs) {
      sendConsentCheck(s, now);
    }
    updateState(s, now);
  }

  pollTransmit(): Datagram | undefined {
    return this.s.out.shift();
  }

  pollEvent(): IceEvent | undefined {
    return this.s.events.shift();
  }

  pollTimeout(): number | undefined {
    const s = this.s;
    if (s.connection === 'closed') return undefined;
    let t = s.transactions.nextDeadline();
    const consider = (v: number | undefined): void => {
      if (v !== undefined && (t === undefined || v < t)) t = v;
    };
    if (!s.lite && s.remote && hasCheckWork(s)) consider(Math.max(s.nextCheckMs, s.lastNow));
    if (s.selected) consider(s.consent.nextDeadline(s.lastNow));
    consider(s.relays.pollTimeout());
    if (s.connection !== 'failed') consider(graceDeadline(s));
    if (s.controllingRole && !s.generationSelected && !s.nominating && s.firstValidMs !== undefined) {
      consider(s.firstValidMs + (s.options.nominationDelayMs ?? 300));
    }
    return t;
  }

  // ---- demultiplexing -----------------------------------------------------------------------

  /** A datagram on a local socket or (unwrapped by the TURN client) on a relayed address. */
  private dispatch(now: number, d: Datagram): void {
    const s = this.s;
    if (!isStunMessage(d.data)) {
      this.handleData(d);
      return;
    }
    let m: DecodedStunMessage;
    try {
      m = decodeStunMessage(d.data);
    } catch (err) {
      if (!isParseError(err)) throw err;
      s.drops.add('stun-malformed');
      s.log.debug('malformed STUN', { code: err.code });
      return;
    }
    try {
      if (m.method !== StunMethod.BINDING) s.drops.add('stun-not-binding');
      else if (m.class === 'request') handleRequest(s, now, d, m);
      else if (m.class === 'success' || m.class === 'error') handleResponse(s, now, d, m);
      // Binding indications are keepalives (RFC 8445 §11): nothing to do.
    } catch (err) {
      if (!isParseError(err)) throw err;
      s.drops.add('stun-bad-attribute');
    }
  }

  /**
   * RFC 8445 §12.2: be prepared to receive data before our own checks finish — the peer may send on a pair as soon
   * as its check succeeded (§12.1), i.e. once we answered its authenticated check. So data is handed up from the
   * selected pair and from any pair that either side validated; a source that never authenticated is dropped.
   */
  private handleData(d: Datagram): void {
    const s = this.s;
    const from = (p: CandidatePair | undefined): p is CandidatePair =>
      p !== undefined && sameAddress(p.local.base, d.local) && sameAddress(p.remoteAddress, d.remote);
    const pair = from(s.selected) ? s.selected : s.checklist.pairs.find(from);
    if (!pair) {
      s.drops.add('data-unknown-source');
      return;
    }
    if (pair !== s.selected && !receivesData(pair)) {
      s.drops.add('data-unverified-pair');
      return;
    }
    pair.stats.packetsReceived++;
    pair.stats.bytesReceived += d.data.byteLength;
    s.events.push({ type: 'data', data: d.data, from: d.remote, local: d.local });
  }
}
