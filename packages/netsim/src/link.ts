import type { RandomSource } from '@rtcwire/common';

/**
 * Gilbert–Elliott two-state burst loss: the link is either Good or Bad; each datagram first moves the
 * state (Good→Bad with `pGoodToBad`, Bad→Good with `pBadToGood`), then is lost with the state's loss
 * probability.
 */
export interface GilbertElliott {
  readonly pGoodToBad: number;
  readonly pBadToGood: number;
  /** Loss probability in the Good state (default 0). */
  readonly lossGood?: number;
  /** Loss probability in the Bad state (default 1). */
  readonly lossBad?: number;
}

/**
 * Impairments of one host's access link, applied separately to each direction (host → network and
 * network → host); a datagram between two hosts crosses the sender's link, then the receiver's.
 */
export interface LinkConfig {
  /** One-way base latency in ms (default 0). */
  readonly latencyMs?: number;
  /** Extra uniform random delay in [0, jitterMs] per datagram (default 0); reorders when large. */
  readonly jitterMs?: number;
  /** Uniform loss probability in [0, 1] (default 0). */
  readonly loss?: number;
  /** Burst loss model, applied in addition to `loss`. */
  readonly burst?: GilbertElliott;
  /** Probability that a datagram is delivered twice (default 0). */
  readonly duplicate?: number;
  /** Probability that a datagram is held back by `reorderDelayMs` so later ones overtake it. */
  readonly reorder?: number;
  /** Hold-back delay for reordered datagrams (default 20 ms). */
  readonly reorderDelayMs?: number;
  /** Largest IP packet (UDP payload + 28 bytes IPv4 / 48 bytes IPv6 headers); larger ones are dropped. */
  readonly mtu?: number;
}

export type DropReason = 'loss' | 'burst-loss' | 'mtu';

/** What the link does to one datagram: dropped for a reason, or delivered after each listed delay. */
export type LinkVerdict = { readonly dropped: DropReason } | { readonly delaysMs: readonly number[] };

/** Per-direction link state (the Gilbert–Elliott state lives here). */
export class LinkDirection {
  private bad = false;

  constructor(
    public config: LinkConfig,
    private readonly random: RandomSource,
  ) {}

  /** Decide the fate of a datagram of `payloadBytes` UDP payload bytes. */
  transmit(payloadBytes: number, ipv6: boolean): LinkVerdict {
    const c = this.config;
    if (c.mtu !== undefined && payloadBytes + (ipv6 ? 48 : 28) > c.mtu) return { dropped: 'mtu' };
    if (c.burst) {
      const b = c.burst;
      if (this.bad) {
        if (this.random.float() < b.pBadToGood) this.bad = false;
      } else if (this.random.float() < b.pGoodToBad) {
        this.bad = true;
      }
      const p = this.bad ? (b.lossBad ?? 1) : (b.lossGood ?? 0);
      if (p > 0 && this.random.float() < p) return { dropped: 'burst-loss' };
    }
    if (c.loss !== undefined && c.loss > 0 && this.random.float() < c.loss) return { dropped: 'loss' };
    const copies = c.duplicate !== undefined && c.duplicate > 0 && this.random.float() < c.duplicate ? 2 : 1;
    const delays: number[] = [];
    for (let i = 0; i < copies; i++) delays.push(this.delay());
    return { delaysMs: delays };
  }

  private delay(): number {
    const c = this.config;
    let d = c.latencyMs ?? 0;
    if (c.jitterMs !== undefined && c.jitterMs > 0) d += this.random.float() * c.jitterMs;
    if (c.reorder !== undefined && c.reorder > 0 && this.random.float() < c.reorder) d += c.reorderDelayMs ?? 20;
    return d;
  }
}
