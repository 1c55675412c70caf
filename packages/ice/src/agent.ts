/**
 * The RFC 8445 ICE agent as a sans-IO `DatagramEndpoint<IceEvent>`. This file is the coordinator
 * (public API, demultiplexing, connectivity checks, nomination, state); the pieces it coordinates —
 * check list, transactions, consent, candidates, STUN message shapes — live in their own files.
 * It is longer than 400 lines (about 800) because the check/response/role-conflict logic reads best in
 * one place; the next split, when it grows, is handleRequest/handleResponse (RFC 8445 §7.3, §7.2.5) into
 * their own module over an explicit agent-state interface.
 */
import type { Datagram, DatagramEndpoint, Logger, RandomSource, SocketAddress } from '@rtcwire/common';
import {
  DropCounters,
  InvalidStateError,
  isParseError,
  randomIceString,
  sameAddress,
  silentLogger,
  socketAddress,
} from '@rtcwire/common';
import {
  Attr,
  type DecodedStunMessage,
  decodeStunMessage,
  getAttribute,
  isStunMessage,
  StunMethod,
  shortTermKey,
  verifyFingerprint,
  verifyIntegrity,
} from '@rtcwire/stun';
import {
  type CandidateType,
  candidatePriority,
  formatCandidate,
  type IceCandidate,
  isMdnsName,
  localPreferenceOf,
} from './candidate.js';
import { LocalCandidates, RemoteCandidates, type RemoteEntry } from './candidate-sets.js';
import { Checklist } from './checklist.js';
import { Relays } from './relays.js';
import { stateSteps } from './state.js';
import { ConsentTracker } from './consent.js';
import { type CandidatePair, describePair, type LocalCandidate, receivesData, reportPair } from './pair.js';
import {
  type Credentials,
  encodeCheckError,
  encodeCheckRequest,
  encodeCheckSuccess,
  encodeServerBindingRequest,
  requestRole,
} from './stun-messages.js';
import { hexId, type Transaction, type TransactionPurpose, TransactionTable } from './transactions.js';
import type {
  IceAgentOptions,
  IceConnectionState,
  IceEvent,
  IceGatheringState,
  IceParameters,
  PairReport,
  SelectedPair,
} from './types.js';

export class IceAgent implements DatagramEndpoint<IceEvent> {
  readonly drops = new DropCounters();
  private controllingRole: boolean;
  private readonly lite: boolean;
  private readonly random: RandomSource;
  private readonly log: Logger;
  private readonly tieBreaker: bigint;
  private localUfrag: string;
  private localPwd: string;
  private remote: IceParameters | undefined;
  private restartPending = false;
  private oldCredentials: Credentials | undefined;
  private readonly locals = new LocalCandidates();
  private readonly remotes = new RemoteCandidates();
  private remoteEnded = false;
  private readonly checklist = new Checklist();
  private triggered: { pair: CandidatePair; useCandidate: boolean }[] = [];
  private readonly transactions: TransactionTable;
  private readonly consent: ConsentTracker;
  private nextCheckMs = 0;
  private gatherPending = 0;
  private gathering: IceGatheringState = 'new';
  private connection: IceConnectionState = 'new';
  private selected: CandidatePair | undefined;
  private selectedCredentials: Credentials | undefined;
  private generationSelected = false;
  private nominating: CandidatePair | undefined;
  private firstValidMs: number | undefined;
  private readonly out: Datagram[] = [];
  private readonly events: IceEvent[] = [];
  private lastNow = 0;
  /** Last time a remote candidate appeared or a pair failed: the clock of the end-of-candidates grace. */
  private lastCheckActivityMs = 0;
  private readonly relays: Relays;

  constructor(private readonly options: IceAgentOptions) {
    this.random = options.random;
    this.lite = options.lite ?? false;
    this.controllingRole = this.lite ? false : options.controlling;
    this.log = options.logger ?? silentLogger;
    this.tieBreaker = options.tieBreaker ?? new DataView(this.random.bytes(8).buffer).getBigUint64(0);
    this.localUfrag = options.usernameFragment ?? randomIceString(this.random, 8);
    this.localPwd = options.password ?? randomIceString(this.random, 24);
    this.transactions = new TransactionTable(options.initialRtoMs ?? 500, options.maxRtoMs ?? 1600);
    this.relays = new Relays(
      this.lite ? [] : (options.turnServers ?? []),
      options.localAddresses,
      this.random,
      this.log,
      {
        onAllocated: (_now, relayed, mapped, socket, server) => {
          const host = this.locals.byBase(socket);
          const pref = host ? localPreferenceOf(host.candidate.priority) : 0xffff;
          this.addLocal('relay', relayed, relayed, pref, server, mapped ?? socket);
        },
        onAllocationSettled: () => {
          this.gatherPending--;
          this.maybeGatheringComplete();
        },
        onRelayed: (now, d) => this.dispatch(now, d),
      },
      this.out,
    );
    this.consent = new ConsentTracker(
      this.random,
      options.consentIntervalMs ?? 5000,
      options.disconnectedTimeoutMs ?? 8000,
      options.consentTimeoutMs ?? 30_000,
    );
  }

  // ---- public API -------------------------------------------------------------------------

  get localParameters(): IceParameters {
    return { usernameFragment: this.localUfrag, password: this.localPwd, iceLite: this.lite };
  }
  get controlling(): boolean {
    return this.controllingRole;
  }
  get state(): IceConnectionState {
    return this.connection;
  }
  get gatheringState(): IceGatheringState {
    return this.gathering;
  }
  get selectedPair(): SelectedPair | undefined {
    return this.selected ? describePair(this.selected) : undefined;
  }
  get localCandidates(): readonly IceCandidate[] {
    return this.locals.signalled();
  }
  get remoteCandidates(): readonly IceCandidate[] {
    return this.remotes.list.map((r) => r.candidate);
  }
  /** Pair states, highest priority first (for stats and tests). */
  get pairs(): readonly PairReport[] {
    return this.checklist.pairs.map((p) => reportPair(p, p === this.selected));
  }

  /** Set (or, with a new ufrag, change: ICE restart by the peer) the remote credentials. */
  setRemoteParameters(now: number, params: IceParameters): void {
    this.lastNow = now;
    if (this.connection === 'closed') throw new InvalidStateError('agent closed');
    if (this.remote && this.remote.usernameFragment !== params.usernameFragment && !this.restartPending)
      this.restart(now);
    this.remote = params;
    this.restartPending = false;
    // RFC 8445 §6.1.1: facing a lite peer, the full agent is controlling.
    if (params.iceLite && !this.lite && !this.controllingRole) this.switchRole(true);
    this.update(now);
  }

  /** Start gathering: host candidates at once, server-reflexive ones via the STUN servers. */
  gather(now: number): void {
    this.lastNow = now;
    if (this.connection === 'closed') throw new InvalidStateError('agent closed');
    if (this.gathering === 'gathering') return;
    this.setGathering('gathering');
    this.options.localAddresses.forEach((base, i) => {
      const localPref = 0xffff - i;
      this.addLocal('host', socketAddress(base.address, base.port), base, localPref);
    });
    if (!this.lite) {
      for (const base of this.options.localAddresses) {
        for (const server of this.options.stunServers ?? []) {
          if (server.family !== base.family) continue;
          const tid = this.random.bytes(12);
          const bytes = encodeServerBindingRequest(tid);
          this.transactions.start(now, hexId(tid), { kind: 'gather', server }, bytes, base, server);
          this.out.push({ local: base, remote: server, data: bytes });
          this.gatherPending++;
        }
      }
    }
    if (!this.lite) this.gatherPending += this.relays.gather(now);
    this.maybeGatheringComplete();
    this.update(now);
  }

  /** Add a trickled or signalled remote candidate (RFC 8838). TCP candidates are ignored. */
  addRemoteCandidate(now: number, candidate: IceCandidate): void {
    this.lastNow = now;
    if (this.connection === 'closed') return;
    if (candidate.protocol !== 'udp' || candidate.component !== 1) {
      this.drops.add('remote-candidate-unsupported');
      return;
    }
    // A trickled candidate carries its generation's ufrag (RFC 8838, JSEP); another ufrag means another
    // ICE generation, e.g. one from before a restart.
    const ufrag = candidate.extensions?.find(([k]) => k === 'ufrag')?.[1];
    if (ufrag !== undefined && this.remote && ufrag !== this.remote.usernameFragment) {
      this.drops.add('remote-candidate-other-generation');
      return;
    }
    if (isMdnsName(candidate.address)) {
      if (this.remotes.deferMdns(candidate))
        this.events.push({ type: 'mdns-resolve', name: candidate.address.toLowerCase() });
      return;
    }
    this.addRemote(candidate);
    this.update(now);
  }

  /** RFC 8838 §8.2: the peer signalled end-of-candidates for this generation. */
  endOfRemoteCandidates(now: number): void {
    this.remoteEnded = true;
    this.update(now);
  }

  /** Answer an `mdns-resolve` event: the name's IP address, or undefined when it did not resolve. */
  resolveMdns(now: number, name: string, address: string | undefined): void {
    const waiting = this.remotes.takeMdns(name);
    if (!waiting) return;
    if (address === undefined) this.drops.add('mdns-unresolved', waiting.length);
    else for (const c of waiting) this.addRemote({ ...c, address });
    this.update(now);
  }

  /**
   * ICE restart (RFC 8445 §9): new local credentials and a new check list; media keeps flowing on
   * the current selected pair (with the old credentials for consent) until a new pair is selected.
   */
  restart(now: number): void {
    this.lastNow = now;
    if (this.connection === 'closed') throw new InvalidStateError('agent closed');
    if (this.consent.expired || !this.selected) {
      this.selected = undefined;
      this.selectedCredentials = undefined;
      this.consent.stop();
      this.consent.expired = false;
    } else if (this.remote) {
      this.oldCredentials = this.credentials();
    }
    this.localUfrag = randomIceString(this.random, 8);
    this.localPwd = randomIceString(this.random, 24);
    this.restartPending = true;
    this.checklist.clear();
    this.triggered = [];
    this.transactions.cancel((t) => t.purpose.kind !== 'consent');
    this.remotes.clear();
    this.locals.clear();
    this.remoteEnded = false;
    this.generationSelected = false;
    this.nominating = undefined;
    this.firstValidMs = undefined;
    this.gatherPending = 0;
    this.gathering = 'new';
    if (!this.selected) this.setState('checking');
    this.gather(now);
  }

  /** Send an application datagram on the selected pair. False when there is none (or consent expired). */
  send(data: Uint8Array): boolean {
    const p = this.selected;
    if (!p || this.consent.expired || this.connection === 'closed') return false;
    p.stats.packetsSent++;
    p.stats.bytesSent += data.byteLength;
    this.transmit(p.local.base, p.remoteAddress, data);
    return true;
  }

  close(): void {
    if (this.connection === 'closed') return;
    this.transactions.cancel(() => true);
    this.relays.close(this.lastNow);
    this.triggered = [];
    this.consent.stop();
    this.selected = undefined;
    this.connection = 'closed';
    this.events.push({ type: 'state', state: 'closed' });
  }

  // ---- DatagramEndpoint ---------------------------------------------------------------------

  handleDatagram(now: number, d: Datagram): void {
    this.lastNow = now;
    if (this.connection === 'closed') return;
    if (!this.relays.handleDatagram(now, d)) this.dispatch(now, d);
    this.update(now);
  }

  /** A datagram on a local socket or (unwrapped by the TURN client) on a relayed address. */
  private dispatch(now: number, d: Datagram): void {
    if (!isStunMessage(d.data)) {
      this.handleData(d);
      return;
    }
    let m: DecodedStunMessage;
    try {
      m = decodeStunMessage(d.data);
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add('stun-malformed');
      this.log.debug('malformed STUN', { code: err.code });
      return;
    }
    try {
      if (m.method !== StunMethod.BINDING) this.drops.add('stun-not-binding');
      else if (m.class === 'request') this.handleRequest(now, d, m);
      else if (m.class === 'success' || m.class === 'error') this.handleResponse(now, d, m);
      // Binding indications are keepalives (RFC 8445 §11): nothing to do.
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add('stun-bad-attribute');
    }
  }

  handleTimeout(now: number): void {
    this.lastNow = now;
    if (this.connection === 'closed') return;
    const { resend, expired } = this.transactions.due(now, (t) =>
      t.purpose.kind === 'gather' ? 4 : (this.options.maxCheckTransmissions ?? 7),
    );
    for (const t of resend) {
      if (t.purpose.kind !== 'gather') t.purpose.pair.stats.requestsSent++;
      this.transmit(t.local, t.remote, t.bytes);
    }
    this.relays.handleTimeout(now);
    for (const t of expired) this.onTransactionTimeout(t);
    // Nominate before pacing so a nomination that became due is sent now, not left as a stale deadline.
    this.maybeNominate(now);
    if (!this.lite && this.remote && now >= this.nextCheckMs) this.sendNextCheck(now);
    if (this.selected && !this.lite && this.consent.nextCheckMs !== undefined && now >= this.consent.nextCheckMs) {
      this.sendConsentCheck(now);
    }
    this.update(now);
  }

  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }

  pollEvent(): IceEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): number | undefined {
    if (this.connection === 'closed') return undefined;
    let t = this.transactions.nextDeadline();
    const consider = (v: number | undefined): void => {
      if (v !== undefined && (t === undefined || v < t)) t = v;
    };
    if (!this.lite && this.remote && this.hasCheckWork()) consider(Math.max(this.nextCheckMs, this.lastNow));
    if (this.selected) consider(this.consent.nextDeadline(this.lastNow));
    consider(this.relays.pollTimeout());
    if (this.connection !== 'failed') consider(this.graceDeadline());
    if (this.controllingRole && !this.generationSelected && !this.nominating && this.firstValidMs !== undefined) {
      consider(this.firstValidMs + (this.options.nominationDelayMs ?? 300));
    }
    return t;
  }

  // ---- local candidates ---------------------------------------------------------------------

  private addLocal(
    type: CandidateType,
    address: SocketAddress,
    base: SocketAddress,
    localPref: number,
    server?: SocketAddress,
    related: SocketAddress = base,
  ): LocalCandidate {
    const local = this.locals.create({
      type,
      address,
      base,
      localPreference: localPref,
      ufrag: this.localUfrag,
      ...(server ? { server } : {}),
      related,
    });
    const candidate = local.candidate;
    if (type === 'prflx') return local;
    this.events.push({ type: 'local-candidate', candidate, sdp: formatCandidate(candidate) });
    // §6.1.2.4: a server-reflexive local candidate is replaced by its base, which already pairs.
    if (type === 'host' || type === 'relay') {
      for (const r of this.remotes.list) this.pairUp(local, r);
    }
    return local;
  }

  private maybeGatheringComplete(): void {
    if (this.gathering === 'gathering' && this.gatherPending === 0) {
      this.setGathering('complete');
      this.lastCheckActivityMs = this.lastNow;
      this.events.push({ type: 'end-of-candidates' });
    }
  }

  private setGathering(state: IceGatheringState): void {
    this.gathering = state;
    this.events.push({ type: 'gathering-state', state });
  }

  // ---- remote candidates and pairs ------------------------------------------------------------

  private addRemote(candidate: IceCandidate): void {
    const entry = this.remotes.add(candidate);
    if (entry) this.lastCheckActivityMs = this.lastNow;
    if (entry) for (const l of this.locals.pairable()) this.pairUp(l, entry);
  }

  private pairUp(local: LocalCandidate, remote: RemoteEntry): CandidatePair | undefined {
    if (local.base.family !== remote.address.family) return undefined;
    if (this.options.relayOnly && local.candidate.type !== 'relay') return undefined;
    return this.checklist.add(local, remote.candidate, remote.address, this.controllingRole);
  }

  /** Send from a base: directly, or through the TURN client when the base is a relayed address. */
  private transmit(local: SocketAddress, remote: SocketAddress, data: Uint8Array): void {
    if (!this.relays.transmit(this.lastNow, local, remote, data)) this.drops.add('relay-unavailable');
  }

  // ---- checks -------------------------------------------------------------------------------

  private credentials(): Credentials {
    const r = this.remote as IceParameters;
    return {
      localUfrag: this.localUfrag,
      localPwd: this.localPwd,
      remoteUfrag: r.usernameFragment,
      remotePwd: r.password,
    };
  }

  private hasCheckWork(): boolean {
    if (this.triggered.length > 0) return true;
    return !this.generationSelected && this.checklist.hasOrdinaryWork();
  }

  /** RFC 8445 §6.1.4.2: one check per Ta — a triggered one first, else the best Waiting pair. */
  private sendNextCheck(now: number): void {
    let next = this.triggered.shift();
    while (next && next.pair.state === 'succeeded' && !next.useCandidate) next = this.triggered.shift();
    if (!next && !this.generationSelected) {
      const pair = this.checklist.nextOrdinary();
      if (pair) next = { pair, useCandidate: false };
    }
    if (!next) return;
    this.sendCheck(now, next.pair, next.useCandidate);
    this.nextCheckMs = now + (this.options.taMs ?? 50);
  }

  private sendCheck(now: number, pair: CandidatePair, useCandidate: boolean): void {
    if (pair.state !== 'succeeded') pair.state = 'in-progress';
    const credentials = this.credentials();
    this.sendBinding(now, pair, credentials, useCandidate, () => ({
      kind: 'check',
      pair,
      useCandidate,
      credentials,
      controlling: this.controllingRole,
    }));
  }

  /** RFC 7675 §5.1: a consent check on the selected pair, with the credentials it was selected under. */
  private sendConsentCheck(now: number): void {
    const pair = this.selected as CandidatePair;
    const credentials = this.selectedCredentials as Credentials;
    this.transactions.cancel((t) => t.purpose.kind === 'consent');
    this.sendBinding(now, pair, credentials, false, () => ({ kind: 'consent', pair, credentials }));
    this.consent.scheduleNext(now);
  }

  private sendBinding(
    now: number,
    pair: CandidatePair,
    credentials: Credentials,
    useCandidate: boolean,
    purpose: () => TransactionPurpose,
  ): void {
    const transactionId = this.random.bytes(12);
    const bytes = encodeCheckRequest({
      transactionId,
      credentials,
      // §7.2.2: PRIORITY is what a peer-reflexive candidate of ours would get.
      priority: candidatePriority('prflx', localPreferenceOf(pair.local.candidate.priority)),
      controlling: this.controllingRole,
      tieBreaker: this.tieBreaker,
      useCandidate,
    });
    this.transactions.start(now, hexId(transactionId), purpose(), bytes, pair.local.base, pair.remoteAddress);
    pair.stats.requestsSent++;
    this.transmit(pair.local.base, pair.remoteAddress, bytes);
  }

  private enqueueTriggered(pair: CandidatePair, useCandidate: boolean): void {
    const queued = this.triggered.find((t) => t.pair === pair);
    if (queued) {
      if (useCandidate) queued.useCandidate = true;
      return;
    }
    this.triggered.push({ pair, useCandidate });
  }

  private onTransactionTimeout(t: Transaction): void {
    const p = t.purpose;
    if (p.kind === 'gather') {
      this.gatherPending--;
      this.maybeGatheringComplete();
    } else if (p.kind === 'check') {
      if (p.pair.state === 'in-progress') p.pair.state = 'failed';
      this.lastCheckActivityMs = this.lastNow;
      if (this.nominating === p.pair) this.nominating = undefined;
    }
  }

  // ---- incoming requests (RFC 8445 §7.3) ------------------------------------------------------

  private handleRequest(now: number, d: Datagram, m: DecodedStunMessage): void {
    if (this.options.relayOnly && this.locals.byBase(d.local)?.candidate.type !== 'relay') {
      this.drops.add('check-not-relayed');
      return;
    }
    // §7.3: FINGERPRINT is mandatory for ICE checks; USERNAME is "ourUfrag:theirUfrag".
    if (!verifyFingerprint(m.raw)) {
      this.drops.add('check-bad-fingerprint');
      return;
    }
    const username = getAttribute(m, Attr.USERNAME);
    const ourUfrag = username?.split(':')[0];
    let pwd: string;
    let current = true;
    if (ourUfrag === this.localUfrag) pwd = this.localPwd;
    else if (this.oldCredentials && ourUfrag === this.oldCredentials.localUfrag) {
      pwd = this.oldCredentials.localPwd;
      current = false;
    } else {
      this.drops.add('check-unknown-username');
      return;
    }
    if (!verifyIntegrity(m.raw, shortTermKey(pwd), 'sha1')) {
      this.drops.add('check-bad-integrity');
      return;
    }
    const role = requestRole(m);
    const priority = getAttribute(m, Attr.PRIORITY);
    if (!role || priority === undefined) {
      this.respond(d, encodeCheckError(m, 400, 'Bad Request', pwd));
      this.drops.add('check-missing-attribute');
      return;
    }
    // §7.3.1.1: role conflict repair by tie-breaker.
    if (role.controlling === this.controllingRole) {
      const weWin = this.tieBreaker >= role.tieBreaker;
      if (this.controllingRole === weWin) {
        this.respond(d, encodeCheckError(m, 487, 'Role Conflict', pwd));
        return;
      }
      this.switchRole(!this.controllingRole);
    }
    this.respond(d, encodeCheckSuccess(m, d.remote, pwd));
    const useCandidate = getAttribute(m, Attr.USE_CANDIDATE) === true;
    if (!current) {
      // The peer's consent checks on the pre-restart pair: answered above; for a lite agent they are its consent.
      if (this.lite && this.selected && sameAddress(this.selected.remoteAddress, d.remote)) this.consent.refreshed(now);
      return;
    }
    const local = this.locals.byBase(d.local);
    if (!local) {
      this.drops.add('check-on-unknown-socket');
      return;
    }
    // §7.3.1.3: an unknown source is a peer-reflexive remote candidate, paired with the candidate the check arrived on.
    let remote = this.remotes.find(d.remote);
    if (!remote) {
      remote = this.remotes.addPeerReflexive(d.remote, priority);
      this.lastCheckActivityMs = now;
    }
    const pair = this.checklist.find(local, d.remote) ?? this.pairUp(local, remote);
    if (!pair) return;
    pair.stats.requestsReceived++;
    pair.stats.responsesSent++;
    if (this.lite) {
      // §2.5 / §7.3.1.5 for lite agents: a valid check makes the pair valid; USE-CANDIDATE selects it.
      pair.state = 'succeeded';
      if (this.selected === pair) this.consent.refreshed(now);
      if (useCandidate) this.nominate(now, pair);
      return;
    }
    // §7.3.1.5: the controlled agent learns nominations from USE-CANDIDATE.
    if (useCandidate && !this.controllingRole) {
      if (pair.state === 'succeeded') this.nominate(now, pair);
      else pair.nominateOnSuccess = true;
    }
    // §7.3.1.4: triggered check, unless the pair already succeeded or is being checked.
    if (pair.state !== 'succeeded' && pair.state !== 'in-progress') {
      pair.state = 'waiting';
      this.enqueueTriggered(pair, false);
    }
  }

  private respond(d: Datagram, bytes: Uint8Array): void {
    this.transmit(d.local, d.remote, bytes);
  }

  // ---- responses (RFC 8445 §7.2.5) ------------------------------------------------------------

  private handleResponse(now: number, d: Datagram, m: DecodedStunMessage): void {
    const id = hexId(m.transactionId);
    const t = this.transactions.peek(id);
    if (!t) {
      this.drops.add('response-unknown-transaction');
      return;
    }
    const p = t.purpose;
    if (p.kind === 'gather') {
      this.transactions.take(id);
      this.gatherPending--;
      const mapped = m.class === 'success' ? getAttribute(m, Attr.XOR_MAPPED_ADDRESS) : undefined;
      const host = this.locals.host(t.local);
      if (mapped && host && !this.locals.has(mapped)) {
        this.addLocal('srflx', mapped, t.local, localPreferenceOf(host.candidate.priority), p.server);
      }
      this.maybeGatheringComplete();
      return;
    }
    // Checks and consent are authenticated with the peer's password (§7.2.5.1).
    if (!verifyIntegrity(m.raw, shortTermKey(p.credentials.remotePwd), 'sha1')) {
      this.drops.add('response-bad-integrity');
      return;
    }
    this.transactions.take(id);
    const stats = p.pair.stats;
    stats.responsesReceived++;
    if (t.sent === 1) {
      // Karn's rule: only unambiguous (not retransmitted) transactions give an RTT sample.
      stats.currentRoundTripTimeMs = now - t.startedMs;
      stats.totalRoundTripTimeMs += now - t.startedMs;
      stats.roundTripTimeMeasurements++;
    }
    if (p.kind === 'consent') {
      if (m.class === 'success') this.consent.refreshed(now);
      return;
    }
    const pair = p.pair;
    if (m.class === 'error') {
      const code = getAttribute(m, Attr.ERROR_CODE)?.code;
      if (code === 487) {
        // §7.2.5.1: switch role (unless it already changed) and retry the pair.
        if (p.controlling === this.controllingRole) this.switchRole(!p.controlling);
        pair.state = 'waiting';
        this.enqueueTriggered(pair, false);
      } else {
        pair.state = 'failed';
        this.lastCheckActivityMs = now;
        if (this.nominating === pair) this.nominating = undefined;
      }
      return;
    }
    // §7.2.5.2.1: non-symmetric transport addresses fail the check.
    if (!sameAddress(d.remote, t.remote) || !sameAddress(d.local, t.local)) {
      pair.state = 'failed';
      this.lastCheckActivityMs = now;
      this.drops.add('response-asymmetric');
      return;
    }
    const mapped = getAttribute(m, Attr.XOR_MAPPED_ADDRESS);
    if (mapped && !this.locals.has(mapped)) {
      // §7.2.5.3.1: a local peer-reflexive candidate (not signalled).
      this.addLocal('prflx', mapped, t.local, localPreferenceOf(pair.local.candidate.priority));
    }
    pair.state = 'succeeded';
    this.checklist.unfreezeFoundation(pair.foundation);
    this.firstValidMs ??= now;
    if (p.useCandidate && p.controlling && this.controllingRole) {
      this.nominating = undefined;
      this.nominate(now, pair);
    } else if (pair.nominateOnSuccess && !this.controllingRole) {
      this.nominate(now, pair);
    }
  }

  // ---- nomination, selection, roles -------------------------------------------------------------

  /** Regular nomination (§8.1.1): nominate the best valid pair once nothing better is pending or after a delay. */
  private maybeNominate(now: number): void {
    if (!this.controllingRole || this.lite || this.generationSelected || this.nominating || !this.remote) return;
    const best = this.checklist.bestValid();
    if (!best) return;
    const betterPending = this.checklist.pairs.some(
      (q) => q.priority > best.priority && (q.state === 'waiting' || q.state === 'in-progress' || q.state === 'frozen'),
    );
    if (betterPending && now < (this.firstValidMs ?? now) + (this.options.nominationDelayMs ?? 300)) return;
    this.nominating = best;
    this.enqueueTriggered(best, true);
  }

  private nominate(now: number, pair: CandidatePair): void {
    pair.nominated = true;
    // The controlled agent follows the highest-priority nomination (aggressive nomination, §8.1.1 of RFC 5245).
    if (this.generationSelected && this.selected && this.selected.priority >= pair.priority) return;
    this.selected = pair;
    this.selectedCredentials = this.credentials();
    this.generationSelected = true;
    this.oldCredentials = undefined;
    this.transactions.cancel((t) => t.purpose.kind === 'consent');
    this.consent.start(now);
    if (this.lite) this.consent.stop();
    this.events.push({ type: 'selected-pair', pair: describePair(pair) });
  }

  private switchRole(controlling: boolean): void {
    this.controllingRole = controlling;
    this.checklist.recomputePriorities(controlling);
    this.nominating = undefined;
    this.events.push({ type: 'role', controlling });
  }

  // ---- application data ---------------------------------------------------------------------

  /**
   * RFC 8445 §12.2: be prepared to receive data before our own checks finish — the peer may send on a pair as soon
   * as its check succeeded (§12.1), i.e. once we answered its authenticated check. So data is handed up from the
   * selected pair and from any pair that either side validated; a source that never authenticated is dropped.
   */
  private handleData(d: Datagram): void {
    const from = (p: CandidatePair | undefined): p is CandidatePair =>
      p !== undefined && sameAddress(p.local.base, d.local) && sameAddress(p.remoteAddress, d.remote);
    const pair = from(this.selected) ? this.selected : this.checklist.pairs.find(from);
    if (!pair) {
      this.drops.add('data-unknown-source');
      return;
    }
    if (pair !== this.selected && !receivesData(pair)) {
      this.drops.add('data-unverified-pair');
      return;
    }
    pair.stats.packetsReceived++;
    pair.stats.bytesReceived += d.data.byteLength;
    this.events.push({ type: 'data', data: d.data, from: d.remote, local: d.local });
  }

  // ---- state ------------------------------------------------------------------------------------

  private update(now: number): void {
    if (this.connection === 'closed') return;
    this.maybeNominate(now);
    if (this.selected) {
      const status = this.consent.status(now);
      if (status === 'expired') {
        this.transactions.cancel((t) => t.purpose.kind === 'consent');
        this.setState('failed');
      } else if (status === 'stale') this.setState('disconnected');
      else this.setState(this.generationSelected && this.checkingDone() ? 'completed' : 'connected');
      return;
    }
    // Failed: every pair was checked, none succeeded, and no more candidates can come (RFC 8445 §8.1.2) —
    // or, when the peer never signals end-of-candidates, nothing new happened for the grace period.
    if (
      this.remote &&
      !this.lite &&
      this.checklist.count('succeeded') === 0 &&
      (this.checkingDone() || this.graceOver(now))
    ) {
      this.setState('failed');
    } else if (this.remote && this.checklist.pairs.length > 0) {
      this.setState('checking');
    }
  }

  /** When the end-of-candidates grace ends, if it applies: all pairs failed and the peer never signalled the end. */
  private graceDeadline(): number | undefined {
    if (!this.remote || this.lite || this.selected || this.remoteEnded || this.checklist.pairs.length === 0)
      return undefined;
    if (this.checklist.count('succeeded') > 0 || !this.checkingDone(true)) return undefined;
    return this.lastCheckActivityMs + (this.options.endOfCandidatesGraceMs ?? 10_000);
  }

  private graceOver(now: number): boolean {
    const deadline = this.graceDeadline();
    return deadline !== undefined && now >= deadline;
  }

  /** Nothing left to check: both sides ended gathering and no pair or transaction is pending. */
  private checkingDone(assumeRemoteEnded = false): boolean {
    if ((!this.remoteEnded && !assumeRemoteEnded) || this.gathering !== 'complete' || this.remotes.pendingMdns.size > 0)
      return false;
    if (this.triggered.length > 0 || this.nominating) return false;
    if (this.checklist.count('in-progress') > 0) return false;
    return this.generationSelected || this.checklist.count('waiting', 'frozen') === 0;
  }

  /** Emit a state change, filling in skipped steps so observers always see new → checking → connected → completed. */
  private setState(target: IceConnectionState): void {
    if (target === this.connection) return;
    for (const state of stateSteps(this.connection, target)) this.events.push({ type: 'state', state });
    this.connection = target;
    this.log.debug('state', { state: target });
  }
}
