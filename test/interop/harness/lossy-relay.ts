import { type Socket, createSocket } from 'node:dgram';
import { type RandomSource, seededRandom } from '@rtcwire/common';

/**
 * A lossy UDP relay on loopback, for tests against real peers (e.g. Chromium) over a "bad network".
 *
 *   peer A (Chrome)  ⇄  socket A ─┐                ┌─ socket B  ⇄  peer B (rtcwire)
 *                                 └── relay (loss, delay) ──┘
 *
 * Peer A is told (by rewriting its remote description, see sdp-candidates.ts) that peer B lives at socket
 * A; peer B is told that peer A lives at socket B. A datagram from peer A arriving on socket A leaves from
 * socket B to peer B's real address (direction `aToB`); one from peer B arriving on socket B leaves from
 * socket A to peer A (`bToA`). ICE checks, DTLS, SRTP and SRTCP all pass through it and suffer the same
 * loss, as on a real lossy path (ICE and DTLS retransmit, so a few percent is harmless there).
 *
 * Each direction drops datagrams independently with its own injected (seeded) random source: datagram n of
 * a direction is dropped when draw n of that direction's source is below the loss rate. Datagrams from any
 * other address than the pinned peer are not relayed and draw nothing (counted as `ignored`): a peer
 * that sends from several sockets (Chrome's non-loopback interface, rtcwire's other addresses) thus
 * connects only through the one path the test chose.
 */
export interface RelayAddress {
  address: string;
  port: number;
}

export type RelayDirection = 'aToB' | 'bToA';

export interface DirectionCounters {
  /** Datagrams that arrived from the pinned peer (each drew one random number). */
  received: number;
  /** Sent on to the other peer (`received = forwarded + dropped`). */
  forwarded: number;
  /** Dropped on purpose (simulated loss). */
  dropped: number;
  /** From another address than the pinned peer, or before the destination was known: not relayed. */
  ignored: number;
}

export interface LossyRelayOptions {
  /** Loss probability in [0, 1], both directions or per direction (default 0). */
  loss?: number | Partial<Record<RelayDirection, number>>;
  /** Extra one-way delay in ms, both directions or per direction (default 0: forwarded at once). */
  delayMs?: number | Partial<Record<RelayDirection, number>>;
  /** Seed of the two per-direction sources (default 1); ignored for a direction given in `random`. */
  seed?: number;
  /** Injected random sources per direction (default: seededRandom derived from `seed`). */
  random?: Partial<Record<RelayDirection, RandomSource>>;
  /** Peer A's address (else learned from the first datagram on socket A, then pinned; see `learnPeerA`). */
  peerA?: RelayAddress;
  /**
   * Learn peer A from the first datagram on socket A when `peerA` is not set (default true). Set false when
   * peer A sends from several sockets and the test pins the right one later (`relay.peerA = …`): datagrams
   * before that are ignored.
   */
  learnPeerA?: boolean;
  /** Where datagrams from peer A go (else set `relay.peerB` before traffic flows). */
  peerB?: RelayAddress;
  /** Local address of both sockets (default 127.0.0.1). */
  host?: string;
}

function perDirection(v: number | Partial<Record<RelayDirection, number>> | undefined, d: RelayDirection): number {
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : (v[d] ?? 0);
}

/** A second seed for the other direction, so the two loss patterns are independent. */
const OTHER_DIRECTION_SEED_MIX = 0x9e3779b9;

export class LossyRelay {
  /** Peer A's address: given, or learned from the first datagram on socket A. */
  peerA: RelayAddress | undefined;
  /** Peer B's address: where socket B sends. */
  peerB: RelayAddress | undefined;
  readonly counters: Record<RelayDirection, DirectionCounters> = {
    aToB: { received: 0, forwarded: 0, dropped: 0, ignored: 0 },
    bToA: { received: 0, forwarded: 0, dropped: 0, ignored: 0 },
  };
  private readonly loss: Record<RelayDirection, number>;
  private readonly delay: Record<RelayDirection, number>;
  private readonly random: Record<RelayDirection, RandomSource>;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;
  private readonly learnPeerA: boolean;

  private constructor(
    private readonly socketA: Socket,
    private readonly socketB: Socket,
    options: LossyRelayOptions,
  ) {
    this.peerA = options.peerA;
    this.peerB = options.peerB;
    this.learnPeerA = options.learnPeerA ?? true;
    const seed = options.seed ?? 1;
    this.loss = { aToB: perDirection(options.loss, 'aToB'), bToA: perDirection(options.loss, 'bToA') };
    this.delay = { aToB: perDirection(options.delayMs, 'aToB'), bToA: perDirection(options.delayMs, 'bToA') };
    for (const d of ['aToB', 'bToA'] as const) {
      const p = this.loss[d];
      if (!(p >= 0 && p <= 1)) throw new RangeError(`loss rate ${p} for ${d} is not in [0, 1]`);
      if (!(this.delay[d] >= 0)) throw new RangeError(`delay ${this.delay[d]} for ${d} is negative`);
    }
    this.random = {
      aToB: options.random?.aToB ?? seededRandom(seed),
      bToA: options.random?.bToA ?? seededRandom((seed ^ OTHER_DIRECTION_SEED_MIX) >>> 0),
    };
    socketA.on('message', (msg, rinfo) => this.onA(msg, rinfo));
    socketB.on('message', (msg, rinfo) => this.onB(msg, rinfo));
  }

  /** Bind both sockets on loopback (OS-chosen ports). */
  static async start(options: LossyRelayOptions = {}): Promise<LossyRelay> {
    const host = options.host ?? '127.0.0.1';
    const bind = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const s = createSocket('udp4');
        s.once('error', reject);
        s.bind(0, host, () => {
          s.off('error', reject);
          // A send error (e.g. ICMP port unreachable after a peer closed) must not crash the test process.
          s.on('error', () => {});
          resolve(s);
        });
      });
    const a = await bind();
    const b = await bind().catch((err: unknown) => {
      a.close();
      throw err;
    });
    return new LossyRelay(a, b, options);
  }

  /** Socket A's address: give it to peer A as peer B's only candidate. */
  get a(): RelayAddress {
    const { address, port } = this.socketA.address();
    return { address, port };
  }

  /** Socket B's address: give it to peer B as peer A's only candidate. */
  get b(): RelayAddress {
    const { address, port } = this.socketB.address();
    return { address, port };
  }

  /** Loss actually applied so far per direction (dropped / received). */
  observedLoss(d: RelayDirection): number {
    const c = this.counters[d];
    return c.received === 0 ? 0 : c.dropped / c.received;
  }

  /** One line for logs: counters of both directions. */
  describe(): string {
    const fmt = (d: RelayDirection): string => {
      const c = this.counters[d];
      return `${d}: ${c.received} received, ${c.forwarded} forwarded, ${c.dropped} dropped (${(100 * this.observedLoss(d)).toFixed(1)}%), ${c.ignored} ignored`;
    };
    return `relay ${fmt('aToB')}; ${fmt('bToA')}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([
      new Promise<void>((r) => this.socketA.close(() => r())),
      new Promise<void>((r) => this.socketB.close(() => r())),
    ]);
  }

  private onA(msg: Buffer, from: RelayAddress): void {
    if (this.peerA === undefined && this.learnPeerA) this.peerA = { address: from.address, port: from.port };
    if (this.peerA === undefined || !sameAddress(from, this.peerA) || this.peerB === undefined) {
      this.counters.aToB.ignored++;
      return;
    }
    this.relay('aToB', msg, this.socketB, this.peerB);
  }

  private onB(msg: Buffer, from: RelayAddress): void {
    if (this.peerB === undefined || this.peerA === undefined || !sameAddress(from, this.peerB)) {
      this.counters.bToA.ignored++;
      return;
    }
    this.relay('bToA', msg, this.socketA, this.peerA);
  }

  private relay(d: RelayDirection, msg: Buffer, out: Socket, to: RelayAddress): void {
    const c = this.counters[d];
    c.received++;
    if (this.random[d].float() < this.loss[d]) {
      c.dropped++;
      return;
    }
    c.forwarded++;
    const send = (): void => {
      if (!this.closed) out.send(msg, to.port, to.address);
    };
    const delay = this.delay[d];
    if (delay === 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send();
    }, delay);
    this.timers.add(timer);
  }
}

function sameAddress(x: RelayAddress, y: RelayAddress): boolean {
  return x.port === y.port && x.address === y.address;
}
