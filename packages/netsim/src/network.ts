import type { Datagram, DatagramEndpoint, RandomSource, SocketAddress } from '@rtcwire/common';
import { DropCounters, seededRandom, socketAddress } from '@rtcwire/common';
import { EventHeap } from './heap.js';
import { type LinkConfig, LinkDirection } from './link.js';
import { Nat, type NatConfig } from './nat.js';

/** A machine with IP addresses, optionally behind a NAT, with its own access link. */
export interface Host {
  readonly name: string;
  readonly addresses: readonly string[];
  readonly nat: Nat | undefined;
  readonly up: LinkDirection;
  readonly down: LinkDirection;
}

export interface HostOptions {
  /** IP addresses of the host (private ones when behind a NAT). */
  readonly addresses: readonly string[];
  /** The NAT in front of the host; omit for a host on the public network. */
  readonly nat?: Nat;
  readonly link?: LinkConfig;
}

/** An endpoint attached to the network, with everything it emitted. */
export interface Attachment<E> {
  readonly name: string;
  readonly endpoint: DatagramEndpoint<E>;
  readonly host: Host;
  /** Every event the endpoint emitted, in order, with the simulated time it was drained. */
  readonly events: { readonly atMs: number; readonly event: E }[];
  sent: number;
  received: number;
  /**
   * Times the endpoint still reported a deadline at or before `now` right after `handleTimeout(now)`
   * (the node driver treats that as a bug too). The simulator tolerates it; tests can assert zero.
   */
  staleDeadlines: number;
}

export interface AttachOptions<E> {
  readonly name?: string;
  /** Socket addresses the endpoint listens on; their IPs must belong to `host`. */
  readonly addresses?: readonly SocketAddress[];
  /** Receive datagrams for every port of the host that no other endpoint bound (a TURN server's relays). */
  readonly anyPort?: boolean;
  /** Called for each event as it is drained (e.g. to signal trickled candidates to a peer). */
  readonly onEvent?: (event: E, nowMs: number) => void;
}

export interface NetworkOptions {
  readonly seed: number;
  readonly startMs?: number;
  /** Safety valve: how many endpoint wake-ups may happen at one instant before the run aborts. */
  readonly maxStepsPerInstant?: number;
}

/** Counters of what the network did: the truth that tests compare endpoint stats against. */
export interface NetworkStats {
  sent: number;
  delivered: number;
  duplicated: number;
  readonly dropped: DropCounters;
}

interface AnyAttachment extends Attachment<unknown> {
  readonly onEvent: ((event: unknown, nowMs: number) => void) | undefined;
}

/**
 * A seeded discrete-event network. `runUntil` always jumps to the earliest deadline (a scheduled
 * delivery, a user callback, or an endpoint's `pollTimeout()`), never sleeps and never reads a
 * real clock, so a run is reproducible from its seed.
 */
export class Network {
  readonly random: RandomSource;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, duplicated: 0, dropped: new DropCounters() };
  private nowMs: number;
  private readonly heap = new EventHeap();
  private readonly hosts = new Map<string, Host>();
  private readonly hostByIp = new Map<string, Host>();
  private readonly natByIp = new Map<string, Nat>();
  private readonly bindings = new Map<string, AnyAttachment>();
  private readonly wildcard = new Map<Host, AnyAttachment>();
  private readonly attachments: AnyAttachment[] = [];
  private readonly maxStepsPerInstant: number;

  constructor(options: NetworkOptions) {
    this.random = seededRandom(options.seed);
    this.nowMs = options.startMs ?? 0;
    this.maxStepsPerInstant = options.maxStepsPerInstant ?? 100_000;
  }

  get now(): number {
    return this.nowMs;
  }

  addNat(name: string, publicAddress: string, config: NatConfig = {}): Nat {
    if (this.hostByIp.has(publicAddress) || this.natByIp.has(publicAddress)) {
      throw new Error(`address ${publicAddress} already in use`);
    }
    const nat = new Nat(name, publicAddress, config, this.random);
    this.natByIp.set(publicAddress, nat);
    return nat;
  }

  addHost(name: string, options: HostOptions): Host {
    if (this.hosts.has(name)) throw new Error(`host ${name} exists`);
    const link = options.link ?? {};
    const host: Host = {
      name,
      addresses: [...options.addresses],
      nat: options.nat,
      up: new LinkDirection(link, this.random),
      down: new LinkDirection(link, this.random),
    };
    for (const ip of host.addresses) {
      if (this.hostByIp.has(ip) || this.natByIp.has(ip)) throw new Error(`address ${ip} already in use`);
      this.hostByIp.set(ip, host);
    }
    this.hosts.set(name, host);
    return host;
  }

  /** Change a host's link impairments (both directions) from now on. */
  setLink(host: Host, link: LinkConfig): void {
    host.up.config = link;
    host.down.config = link;
  }

  attach<E>(host: Host, endpoint: DatagramEndpoint<E>, options: AttachOptions<E> = {}): Attachment<E> {
    const att: AnyAttachment = {
      name: options.name ?? `${host.name}#${this.attachments.length}`,
      endpoint: endpoint as DatagramEndpoint<unknown>,
      host,
      events: [],
      sent: 0,
      received: 0,
      staleDeadlines: 0,
      onEvent: options.onEvent as ((event: unknown, nowMs: number) => void) | undefined,
    };
    for (const a of options.addresses ?? []) {
      if (this.hostByIp.get(a.address) !== host) throw new Error(`${a.address} is not an address of ${host.name}`);
      const key = bindKey(a.address, a.port);
      if (this.bindings.has(key)) throw new Error(`${key} already bound`);
      this.bindings.set(key, att);
    }
    if (options.anyPort) this.wildcard.set(host, att);
    this.attachments.push(att);
    return att as Attachment<E>;
  }

  /** Run `fn` at simulated time `atMs` (e.g. a signalling message arriving). */
  schedule(atMs: number, fn: () => void): void {
    this.heap.push(Math.max(atMs, this.nowMs), fn);
  }

  /**
   * Advance until `stop` (an absolute time, or a predicate checked after every step) is reached.
   * Returns true when the predicate became true, false when time `limitMs` (default: `stop` when a
   * number, else now + 3 600 000) passed or nothing is left to do.
   */
  runUntil(stop: number | (() => boolean), limitMs?: number): boolean {
    const predicate = typeof stop === 'function' ? stop : undefined;
    const limit = typeof stop === 'number' ? stop : (limitMs ?? this.nowMs + 3_600_000);
    let steps = 0;
    let stepTime = this.nowMs;
    for (;;) {
      this.drainAll();
      if (predicate?.()) return true;
      const next = this.nextDeadline();
      if (next === undefined || next > limit) {
        this.nowMs = Math.max(this.nowMs, limit);
        return false;
      }
      this.nowMs = Math.max(this.nowMs, next);
      if (this.nowMs !== stepTime) {
        stepTime = this.nowMs;
        steps = 0;
      } else if (++steps > this.maxStepsPerInstant) {
        throw new Error(`netsim: no progress at t=${this.nowMs} ms (an endpoint keeps asking to be woken now)`);
      }
      this.step();
    }
  }

  /** Advance by `ms` of simulated time. */
  runFor(ms: number): void {
    this.runUntil(this.nowMs + ms);
  }

  private nextDeadline(): number | undefined {
    let best = this.heap.peekTime();
    for (const a of this.attachments) {
      const t = a.endpoint.pollTimeout();
      if (t !== undefined && (best === undefined || t < best)) best = t;
    }
    return best;
  }

  private step(): void {
    while (this.heap.size > 0 && (this.heap.peekTime() as number) <= this.nowMs) {
      this.heap.pop()?.run();
      this.drainAll();
    }
    for (const a of this.attachments) {
      const t = a.endpoint.pollTimeout();
      if (t !== undefined && t <= this.nowMs) {
        a.endpoint.handleTimeout(this.nowMs);
        this.drain(a);
        const again = a.endpoint.pollTimeout();
        if (again !== undefined && again <= this.nowMs) a.staleDeadlines++;
      }
    }
  }

  private drainAll(): void {
    for (const a of this.attachments) this.drain(a);
  }

  private drain(a: AnyAttachment): void {
    for (;;) {
      let progressed = false;
      for (let d = a.endpoint.pollTransmit(); d !== undefined; d = a.endpoint.pollTransmit()) {
        progressed = true;
        a.sent++;
        this.send(a, d);
      }
      for (let e = a.endpoint.pollEvent(); e !== undefined; e = a.endpoint.pollEvent()) {
        progressed = true;
        a.events.push({ atMs: this.nowMs, event: e });
        a.onEvent?.(e, this.nowMs);
      }
      if (!progressed) return;
    }
  }

  private send(from: AnyAttachment, d: Datagram): void {
    this.stats.sent++;
    const srcHost = this.hostByIp.get(d.local.address);
    if (srcHost !== from.host) {
      this.stats.dropped.add('bad-source');
      return;
    }
    let source = socketAddress(d.local.address, d.local.port);
    const dst = d.remote;
    // Leaving a NAT'd host towards anything that is not on the same private network.
    const dstHost = this.hostByIp.get(dst.address);
    if (srcHost.nat && behindNat(srcHost, d.local.address) && !(dstHost && dstHost.nat === srcHost.nat)) {
      source = srcHost.nat.outbound(this.nowMs, source, dst);
    }
    const verdict = srcHost.up.transmit(d.data.byteLength, dst.family === 'IPv6');
    if ('dropped' in verdict) {
      this.stats.dropped.add(verdict.dropped);
      return;
    }
    this.countCopies(verdict.delaysMs.length);
    for (const delay of verdict.delaysMs) {
      this.heap.push(this.nowMs + delay, () => this.route(source, d, srcHost));
    }
  }

  /** The datagram reached the core network (or the LAN); find where it goes. */
  private route(source: SocketAddress, d: Datagram, srcHost: Host): void {
    let dst = socketAddress(d.remote.address, d.remote.port);
    const nat = this.natByIp.get(dst.address);
    if (nat) {
      const r = nat.inbound(this.nowMs, dst.port, source);
      if ('dropped' in r) {
        this.stats.dropped.add(r.dropped);
        return;
      }
      dst = r.internal;
    }
    const host = this.hostByIp.get(dst.address);
    // Private addresses are reachable only from their own NAT (after translation) or their LAN.
    const isPrivate = host !== undefined && behindNat(host, dst.address);
    if (!host || (isPrivate && !nat && host.nat !== srcHost.nat) || (nat && host.nat !== nat)) {
      this.stats.dropped.add('no-route');
      return;
    }
    const verdict = host.down.transmit(d.data.byteLength, dst.family === 'IPv6');
    if ('dropped' in verdict) {
      this.stats.dropped.add(verdict.dropped);
      return;
    }
    this.countCopies(verdict.delaysMs.length);
    for (const delay of verdict.delaysMs) {
      this.heap.push(this.nowMs + delay, () => this.deliver(host, source, dst, d));
    }
  }

  private deliver(host: Host, source: SocketAddress, dst: SocketAddress, d: Datagram): void {
    const att = this.bindings.get(bindKey(dst.address, dst.port)) ?? this.wildcard.get(host);
    if (!att) {
      this.stats.dropped.add('no-listener');
      return;
    }
    this.stats.delivered++;
    att.received++;
    const datagram: Datagram = { local: dst, remote: source, data: d.data.slice() };
    att.endpoint.handleDatagram(this.nowMs, datagram);
    this.drain(att);
  }

  private countCopies(n: number): void {
    if (n > 1) this.stats.duplicated += n - 1;
  }
}

/** NATs translate one family (their public address's); a host's other-family addresses are public. */
function behindNat(host: Host, ip: string): boolean {
  return host.nat !== undefined && ip.includes(':') === host.nat.publicAddress.includes(':');
}

function bindKey(ip: string, port: number): string {
  return `${ip}|${port}`;
}
