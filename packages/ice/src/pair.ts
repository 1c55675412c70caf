import type { SocketAddress } from '@rtcwire/common';
import type { IceCandidate } from './candidate.js';
import type { PairReport, SelectedPair } from './types.js';

/** RFC 8445 §6.1.2.6: candidate pair states. */
export type PairState = 'frozen' | 'waiting' | 'in-progress' | 'succeeded' | 'failed';

/** A local candidate the agent owns: the candidate plus the socket (base) it sends from. */
export interface LocalCandidate {
  readonly candidate: IceCandidate;
  /**
   * RFC 8445 §5.1.1: the base — the local socket address datagrams leave from, or for a relayed
   * candidate the relayed address itself (datagrams then travel through the TURN client).
   */
  readonly base: SocketAddress;
  /** For relayed candidates: the TURN server the traffic is tunnelled through. */
  readonly relayServer?: SocketAddress;
}

/** Per-pair counters, the raw material of W3C RTCIceCandidatePairStats. */
export interface PairStats {
  requestsSent: number;
  requestsReceived: number;
  responsesSent: number;
  responsesReceived: number;
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** RTT of the latest check/consent transaction answered without retransmission. */
  currentRoundTripTimeMs: number | undefined;
  totalRoundTripTimeMs: number;
  roundTripTimeMeasurements: number;
}

export function newPairStats(): PairStats {
  return {
    requestsSent: 0,
    requestsReceived: 0,
    responsesSent: 0,
    responsesReceived: 0,
    packetsSent: 0,
    packetsReceived: 0,
    bytesSent: 0,
    bytesReceived: 0,
    currentRoundTripTimeMs: undefined,
    totalRoundTripTimeMs: 0,
    roundTripTimeMeasurements: 0,
  };
}

export interface CandidatePair {
  readonly id: number;
  readonly local: LocalCandidate;
  readonly remote: IceCandidate;
  readonly remoteAddress: SocketAddress;
  readonly foundation: string;
  priority: bigint;
  state: PairState;
  /** RFC 8445 §7.2.5.3.4 / §8.1.1: the controlling agent nominated this pair (or the peer did). */
  nominated: boolean;
  /** The controlled agent saw USE-CANDIDATE on this pair before it succeeded (§7.3.1.5). */
  nominateOnSuccess: boolean;
  readonly stats: PairStats;
}

/**
 * RFC 8445 §6.1.2.3: pair priority = 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D ? 1 : 0), where G is the
 * controlling agent's candidate priority and D the controlled agent's. A bigint: it needs 64 bits.
 */
export function pairPriority(controlling: boolean, localPriority: number, remotePriority: number): bigint {
  const g = BigInt(controlling ? localPriority : remotePriority);
  const d = BigInt(controlling ? remotePriority : localPriority);
  const min = g < d ? g : d;
  const max = g < d ? d : g;
  return (min << 32n) + 2n * max + (g > d ? 1n : 0n);
}

/**
 * Whether data arriving on this pair is handed up (RFC 8445 §12.2): our own check on it succeeded, or the peer
 * sent us a valid check on it (an authenticated Binding request we answered, which is what makes the pair valid
 * on the peer's side, §7.2.5.3.2, and lets it send data there, §12.1).
 */
export function receivesData(p: CandidatePair): boolean {
  return p.state === 'succeeded' || p.stats.requestsReceived > 0;
}

/** The application's view of a pair. */
export function describePair(p: CandidatePair): SelectedPair {
  return { local: p.local.candidate, remote: p.remote, localBase: p.local.base, remoteAddress: p.remoteAddress };
}

/** A snapshot of a pair with its counters. */
export function reportPair(p: CandidatePair, selected: boolean): PairReport {
  return {
    pair: describePair(p),
    state: p.state,
    nominated: p.nominated,
    selected,
    priority: p.priority,
    stats: { ...p.stats },
  };
}
