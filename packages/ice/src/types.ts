import type { Logger, RandomSource, SocketAddress } from '@rtcwire/common';
import type { IceCandidate } from './candidate.js';
import type { PairState, PairStats } from './pair.js';

/** W3C RTCIceTransportState / RTCIceConnectionState names. */
export type IceConnectionState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';
/** W3C RTCIceGatheringState. */
export type IceGatheringState = 'new' | 'gathering' | 'complete';

export interface IceParameters {
  readonly usernameFragment: string;
  readonly password: string;
  /** The peer is an ICE lite implementation (RFC 8445 §2.5); a full agent then controls. */
  readonly iceLite?: boolean;
}

export interface TurnServerConfig {
  readonly address: SocketAddress;
  readonly username: string;
  readonly password: string;
}

export interface IceAgentOptions {
  /** Randomness for credentials, tie-breaker, transaction ids, consent jitter (secureRandom in production). */
  readonly random: RandomSource;
  /** Initial role (RFC 8445 §6.1.1); the offerer is usually controlling. Repaired on conflict (§7.3.1.1). */
  readonly controlling: boolean;
  /** ICE lite (RFC 8445 §2.5): host candidates only, answers checks, never sends them; always controlled. */
  readonly lite?: boolean;
  /**
   * The local sockets the driver opened (one per interface address the caller allows, IPv4 and IPv6).
   * Each becomes a host candidate; all traffic of a candidate leaves from its base socket.
   */
  readonly localAddresses: readonly SocketAddress[];
  /**
   * W3C `iceTransportPolicy: 'relay'`: only relayed candidates pair and answer checks. Host sockets still
   * exist as the bases of the TURN allocations, but no check leaves from or is answered on them.
   */
  readonly relayOnly?: boolean;
  /** STUN servers for server-reflexive candidates (RFC 8445 §5.1.1.2). */
  readonly stunServers?: readonly SocketAddress[];
  /** TURN servers for relayed candidates (UDP allocations). */
  readonly turnServers?: readonly TurnServerConfig[];
  /** Local credentials; random ICE strings (RFC 8445 §5.3) when omitted. */
  readonly usernameFragment?: string;
  readonly password?: string;
  /** RFC 8445 §14.2 pacing interval Ta (default 50 ms). */
  readonly taMs?: number;
  /** First retransmission timeout of a check (default 500 ms, RFC 8445 §14.3); doubles up to `maxRtoMs`. */
  readonly initialRtoMs?: number;
  /** Cap of the doubling retransmission timeout (default 1600 ms). */
  readonly maxRtoMs?: number;
  /** Transmissions of one check before its pair fails (default 7, RFC 8489 Rc). */
  readonly maxCheckTransmissions?: number;
  /** Controlling agent: how long after the first valid pair to wait for a better one before nominating (default 300 ms). */
  readonly nominationDelayMs?: number;
  /**
   * When the peer never signals end-of-candidates (common with trickle), report `failed` once every
   * pair failed and no new candidate or failure happened for this long (default 10 000 ms).
   */
  readonly endOfCandidatesGraceMs?: number;
  /** RFC 7675: mean consent check interval (default 5000 ms, randomized ±20 %). */
  readonly consentIntervalMs?: number;
  /** No consent response for this long → `disconnected` (default 8000 ms). */
  readonly disconnectedTimeoutMs?: number;
  /** RFC 7675 §5.1: no consent response for this long → `failed` (default 30 000 ms). */
  readonly consentTimeoutMs?: number;
  /** RFC 8445 §7.3.1.1 tie-breaker; random when omitted. */
  readonly tieBreaker?: bigint;
  readonly logger?: Logger;
}

/** A candidate pair as reported to the application. */
export interface SelectedPair {
  readonly local: IceCandidate;
  readonly remote: IceCandidate;
  /** Socket the pair's datagrams leave from. */
  readonly localBase: SocketAddress;
  readonly remoteAddress: SocketAddress;
}

/** One check-list entry with its counters (for stats and tests). */
export interface PairReport {
  readonly pair: SelectedPair;
  readonly state: PairState;
  readonly nominated: boolean;
  readonly selected: boolean;
  /** RFC 8445 §6.1.2.3 pair priority (64-bit). */
  readonly priority: bigint;
  readonly stats: Readonly<PairStats>;
}

/** Everything the agent reports, drained with `pollEvent()`. */
export type IceEvent =
  | { readonly type: 'local-candidate'; readonly candidate: IceCandidate; readonly sdp: string }
  /** RFC 8838 §8.2: local gathering finished (signal `a=end-of-candidates`). Follows gathering-state complete. */
  | { readonly type: 'end-of-candidates' }
  | { readonly type: 'gathering-state'; readonly state: IceGatheringState }
  | { readonly type: 'state'; readonly state: IceConnectionState }
  | { readonly type: 'selected-pair'; readonly pair: SelectedPair }
  | { readonly type: 'role'; readonly controlling: boolean }
  /** A remote `.local` candidate needs a lookup; answer with `resolveMdns(now, name, address | undefined)`. */
  | { readonly type: 'mdns-resolve'; readonly name: string }
  /** An application datagram (not STUN) from the selected pair or a pair either side validated (RFC 8445 §12.2). */
  | { readonly type: 'data'; readonly data: Uint8Array; readonly from: SocketAddress; readonly local: SocketAddress };
