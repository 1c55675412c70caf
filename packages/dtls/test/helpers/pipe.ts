import { type RandomSource, seededRandom } from '@rtcwire/common';
import type { DtlsConnection, DtlsEvent } from '../../src/index.js';

type Endpoint = Pick<
  DtlsConnection,
  'handle' | 'handleTimeout' | 'pollTransmit' | 'pollEvent' | 'pollTimeout' | 'state'
>;

export interface LinkOptions {
  readonly seed?: number;
  readonly loss?: number;
  readonly duplicate?: number;
  /** Extra random delay up to this many ms (reorders datagrams). */
  readonly jitterMs?: number;
  readonly delayMs?: number;
  /** Drop datagrams for which this returns true (from 'a' = first endpoint, or 'b'). */
  readonly filter?: (from: 'a' | 'b', datagram: Uint8Array, index: number) => boolean;
}

interface InFlight {
  at: number;
  to: 0 | 1;
  data: Uint8Array;
  order: number;
}

/**
 * A tiny seeded lossy link between two sans-IO DTLS endpoints: always jumps to the next event
 * (delivery or timer), so simulated seconds cost microseconds.
 */
export class TestLink {
  now = 0;
  readonly events: [DtlsEvent[], DtlsEvent[]] = [[], []];
  readonly sent: [Uint8Array[], Uint8Array[]] = [[], []];
  private readonly rng: RandomSource;
  private queue: InFlight[] = [];
  private order = 0;
  constructor(
    readonly a: Endpoint,
    readonly b: Endpoint,
    private readonly opts: LinkOptions = {},
  ) {
    this.rng = seededRandom(opts.seed ?? 1);
  }

  private drain(): void {
    const eps = [this.a, this.b] as const;
    for (let i = 0; i < 2; i++) {
      const ep = eps[i] as Endpoint;
      const from = i === 0 ? 'a' : 'b';
      for (let d = ep.pollTransmit(); d; d = ep.pollTransmit()) {
        const index = this.sent[i as 0 | 1].push(d) - 1;
        if (this.opts.filter?.(from, d, index)) continue;
        if (this.rng.float() < (this.opts.loss ?? 0)) continue;
        const copies = this.rng.float() < (this.opts.duplicate ?? 0) ? 2 : 1;
        for (let c = 0; c < copies; c++) {
          const at = this.now + (this.opts.delayMs ?? 5) + this.rng.float() * (this.opts.jitterMs ?? 0);
          this.queue.push({ at, to: i === 0 ? 1 : 0, data: d.slice(), order: this.order++ });
        }
      }
      for (let e = ep.pollEvent(); e; e = ep.pollEvent()) this.events[i as 0 | 1].push(e);
    }
  }

  /** Run until `until()` holds or nothing is left to do or `maxMs` of simulated time passed. */
  run(until: () => boolean, maxMs = 120_000): void {
    this.drain();
    while (!until() && this.now <= maxMs) {
      this.queue.sort((x, y) => x.at - y.at || x.order - y.order);
      const next = this.queue[0];
      const ta = this.a.pollTimeout();
      const tb = this.b.pollTimeout();
      const t = Math.min(
        next?.at ?? Number.POSITIVE_INFINITY,
        ta ?? Number.POSITIVE_INFINITY,
        tb ?? Number.POSITIVE_INFINITY,
      );
      if (t === Number.POSITIVE_INFINITY) break;
      this.now = Math.max(this.now, t);
      if (next && next.at <= this.now) {
        this.queue.shift();
        (next.to === 0 ? this.a : this.b).handle(this.now, next.data);
      } else {
        if (ta !== undefined && ta <= this.now) this.a.handleTimeout(this.now);
        if (tb !== undefined && tb <= this.now) this.b.handleTimeout(this.now);
      }
      this.drain();
    }
  }

  connected(): boolean {
    return this.a.state === 'connected' && this.b.state === 'connected';
  }

  settled(): boolean {
    const done = (s: string) => s === 'connected' || s === 'failed' || s === 'closed';
    return done(this.a.state) && done(this.b.state);
  }
}
