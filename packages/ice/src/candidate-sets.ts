import type { SocketAddress } from '@rtcwire/common';
import { sameAddress, socketAddress } from '@rtcwire/common';
import { type CandidateType, candidatePriority, type IceCandidate } from './candidate.js';
import type { LocalCandidate } from './pair.js';

/** The agent's own candidates (signalled ones and learnt peer-reflexive ones). */
export class LocalCandidates {
  readonly list: LocalCandidate[] = [];
  private readonly foundations = new Map<string, string>();

  /**
   * Create and store a candidate. RFC 8445 §5.1.1.3: candidates with the same type, base IP,
   * STUN/TURN server and transport share a foundation.
   */
  create(spec: {
    type: CandidateType;
    address: SocketAddress;
    base: SocketAddress;
    localPreference: number;
    ufrag: string;
    server?: SocketAddress;
    related?: SocketAddress;
  }): LocalCandidate {
    const key = `${spec.type}|${spec.base.address}|${spec.server?.address ?? ''}|udp`;
    let foundation = this.foundations.get(key);
    if (!foundation) {
      foundation = String(this.foundations.size + 1);
      this.foundations.set(key, foundation);
    }
    const related = spec.related ?? spec.base;
    const candidate: IceCandidate = {
      foundation,
      component: 1,
      protocol: 'udp',
      priority: candidatePriority(spec.type, spec.localPreference),
      address: spec.address.address,
      port: spec.address.port,
      type: spec.type,
      ...(spec.type !== 'host' ? { relatedAddress: related.address, relatedPort: related.port } : {}),
      extensions: [['ufrag', spec.ufrag]],
    };
    const local: LocalCandidate =
      spec.type === 'relay' && spec.server
        ? { candidate, base: spec.base, relayServer: spec.server }
        : { candidate, base: spec.base };
    this.list.push(local);
    return local;
  }

  clear(): void {
    this.list.length = 0;
  }

  /** Candidates that are signalled to the peer (not peer-reflexive ones). */
  signalled(): IceCandidate[] {
    return this.list.filter((l) => l.candidate.type !== 'prflx').map((l) => l.candidate);
  }

  /** The candidates that form pairs: host and relayed (§6.1.2.4 replaces srflx by its base). */
  pairable(): LocalCandidate[] {
    return this.list.filter((l) => l.candidate.type === 'host' || l.candidate.type === 'relay');
  }

  host(base: SocketAddress): LocalCandidate | undefined {
    return this.list.find((l) => l.candidate.type === 'host' && sameAddress(l.base, base));
  }

  /** The host or relayed candidate whose base is `base`. */
  byBase(base: SocketAddress): LocalCandidate | undefined {
    return this.pairable().find((l) => sameAddress(l.base, base));
  }

  /** Whether some candidate already has this transport address. */
  has(address: SocketAddress): boolean {
    return this.list.some((l) => sameAddress(socketAddress(l.candidate.address, l.candidate.port), address));
  }
}

export interface RemoteEntry {
  candidate: IceCandidate;
  readonly address: SocketAddress;
}

/** The peer's candidates, including peer-reflexive ones and `.local` names waiting for resolution. */
export class RemoteCandidates {
  readonly list: RemoteEntry[] = [];
  /** Lower-cased mDNS name → candidates waiting for its address. */
  readonly pendingMdns = new Map<string, IceCandidate[]>();
  private prflxCount = 0;

  clear(): void {
    this.list.length = 0;
    this.pendingMdns.clear();
  }

  find(address: SocketAddress): RemoteEntry | undefined {
    return this.list.find((r) => sameAddress(r.address, address));
  }

  /** Add a signalled candidate; undefined when its address is known already. */
  add(candidate: IceCandidate): RemoteEntry | undefined {
    const address = socketAddress(candidate.address, candidate.port);
    const existing = this.find(address);
    if (existing) {
      // A signalled candidate replaces a peer-reflexive one learnt from a check (RFC 8445 §7.3.1.3).
      if (existing.candidate.type === 'prflx' && candidate.type !== 'prflx') existing.candidate = candidate;
      return undefined;
    }
    const entry: RemoteEntry = { candidate, address };
    this.list.push(entry);
    return entry;
  }

  /** RFC 8445 §7.3.1.3: a peer-reflexive candidate from a check's source and PRIORITY. */
  addPeerReflexive(address: SocketAddress, priority: number): RemoteEntry {
    const entry: RemoteEntry = {
      candidate: {
        foundation: `prflx${++this.prflxCount}`,
        component: 1,
        protocol: 'udp',
        priority,
        address: address.address,
        port: address.port,
        type: 'prflx',
      },
      address: socketAddress(address.address, address.port),
    };
    this.list.push(entry);
    return entry;
  }

  /** Queue a `.local` candidate; true when its name needs a new lookup. */
  deferMdns(candidate: IceCandidate): boolean {
    const name = candidate.address.toLowerCase();
    const waiting = this.pendingMdns.get(name);
    if (waiting) {
      waiting.push(candidate);
      return false;
    }
    this.pendingMdns.set(name, [candidate]);
    return true;
  }

  /** Take the candidates waiting for `name`. */
  takeMdns(name: string): IceCandidate[] | undefined {
    const key = name.toLowerCase();
    const waiting = this.pendingMdns.get(key);
    this.pendingMdns.delete(key);
    return waiting;
  }
}
