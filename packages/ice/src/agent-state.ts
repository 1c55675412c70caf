import type { Datagram, Logger, RandomSource, SocketAddress } from '@rtcwire/common';
import { DropCounters, randomIceString, silentLogger } from '@rtcwire/common';
import type { IceCandidate } from './candidate.js';
import { LocalCandidates, RemoteCandidates, type RemoteEntry } from './candidate-sets.js';
import { Checklist } from './checklist.js';
import { ConsentTracker } from './consent.js';
import { type CandidatePair, describePair, type LocalCandidate } from './pair.js';
import type { Relays } from './relays.js';
import { stateSteps } from './state.js';
import type { Credentials } from './stun-messages.js';
import { TransactionTable } from './transactions.js';
import type { IceAgentOptions, IceConnectionState, IceEvent, IceGatheringState, IceParameters } from './types.js';

/** A check waiting for its pacing slot (RFC 8445 §6.1.4.2 triggered-check queue). */
export interface TriggeredCheck {
  readonly pair: CandidatePair;
  useCandidate: boolean;
}

/**
 * Everything one ICE agent knows, shared by the modules that implement its parts (gathering, checks,
 * incoming requests, responses, connection state) and by the `IceAgent` facade, which is the only public
 * surface. Holds the state plus the small operations several of those modules need.
 */
export class AgentState {
  readonly drops = new DropCounters();
  readonly lite: boolean;
  readonly random: RandomSource;
  readonly log: Logger;
  readonly tieBreaker: bigint;
  readonly locals = new LocalCandidates();
  readonly remotes = new RemoteCandidates();
  readonly checklist = new Checklist();
  readonly transactions: TransactionTable;
  readonly consent: ConsentTracker;
  readonly relays: Relays;
  /** Datagrams and events waiting for `pollTransmit()` / `pollEvent()`. */
  readonly out: Datagram[] = [];
  readonly events: IceEvent[] = [];
  controllingRole: boolean;
  localUfrag: string;
  localPwd: string;
  remote: IceParameters | undefined;
  restartPending = false;
  /** The pre-restart credentials, still answering (and used for consent on) the old selected pair (§9). */
  oldCredentials: Credentials | undefined;
  remoteEnded = false;
  triggered: TriggeredCheck[] = [];
  nextCheckMs = 0;
  gatherPending = 0;
  gathering: IceGatheringState = 'new';
  connection: IceConnectionState = 'new';
  selected: CandidatePair | undefined;
  selectedCredentials: Credentials | undefined;
  /** This ICE generation has selected a pair (ordinary checks stop, §8.1.2). */
  generationSelected = false;
  /** The pair the controlling agent is nominating (its USE-CANDIDATE check is queued or in flight). */
  nominating: CandidatePair | undefined;
  firstValidMs: number | undefined;
  lastNow = 0;
  /** Last time a remote candidate appeared or a pair failed: the clock of the end-of-candidates grace. */
  lastCheckActivityMs = 0;

  constructor(
    readonly options: IceAgentOptions,
    relays: (state: AgentState) => Relays,
  ) {
    this.random = options.random;
    this.lite = options.lite ?? false;
    this.controllingRole = this.lite ? false : options.controlling;
    this.log = options.logger ?? silentLogger;
    this.tieBreaker = options.tieBreaker ?? new DataView(this.random.bytes(8).buffer).getBigUint64(0);
    this.localUfrag = options.usernameFragment ?? randomIceString(this.random, 8);
    this.localPwd = options.password ?? randomIceString(this.random, 24);
    this.transactions = new TransactionTable(options.initialRtoMs ?? 500, options.maxRtoMs ?? 1600);
    this.relays = relays(this);
    this.consent = new ConsentTracker(
      this.random,
      options.consentIntervalMs ?? 5000,
      options.disconnectedTimeoutMs ?? 8000,
      options.consentTimeoutMs ?? 30_000,
    );
  }

  /** The current generation's credentials (the remote ones must be set). */
  credentials(): Credentials {
    const r = this.remote as IceParameters;
    return {
      localUfrag: this.localUfrag,
      localPwd: this.localPwd,
      remoteUfrag: r.usernameFragment,
      remotePwd: r.password,
    };
  }

  /** Send from a base: directly, or through the TURN client when the base is a relayed address. */
  transmit(local: SocketAddress, remote: SocketAddress, data: Uint8Array): void {
    if (!this.relays.transmit(this.lastNow, local, remote, data)) this.drops.add('relay-unavailable');
  }

  /** Add a remote candidate and pair it with every pairable local candidate. */
  addRemote(candidate: IceCandidate): void {
    const entry = this.remotes.add(candidate);
    if (entry) this.lastCheckActivityMs = this.lastNow;
    if (entry) for (const l of this.locals.pairable()) this.pairUp(l, entry);
  }

  pairUp(local: LocalCandidate, remote: RemoteEntry): CandidatePair | undefined {
    if (local.base.family !== remote.address.family) return undefined;
    if (this.options.relayOnly && local.candidate.type !== 'relay') return undefined;
    return this.checklist.add(local, remote.candidate, remote.address, this.controllingRole);
  }

  /** Queue a triggered check (§7.3.1.4), or upgrade a queued one to carry USE-CANDIDATE. */
  enqueueTriggered(pair: CandidatePair, useCandidate: boolean): void {
    const queued = this.triggered.find((t) => t.pair === pair);
    if (queued) {
      if (useCandidate) queued.useCandidate = true;
      return;
    }
    this.triggered.push({ pair, useCandidate });
  }

  nominate(now: number, pair: CandidatePair): void {
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

  switchRole(controlling: boolean): void {
    this.controllingRole = controlling;
    this.checklist.recomputePriorities(controlling);
    this.nominating = undefined;
    this.events.push({ type: 'role', controlling });
  }

  setGathering(state: IceGatheringState): void {
    this.gathering = state;
    this.events.push({ type: 'gathering-state', state });
  }

  /** Emit a state change, filling in skipped steps so observers always see new → checking → connected → completed. */
  setState(target: IceConnectionState): void {
    if (target === this.connection) return;
    for (const state of stateSteps(this.connection, target)) this.events.push({ type: 'state', state });
    this.connection = target;
    this.log.debug('state', { state: target });
  }
}
