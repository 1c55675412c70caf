import {
  type Clock,
  createLogger,
  type Datagram,
  type DatagramEndpoint,
  DropCounters,
  type Logger,
  type Millis,
} from '@rtcwire/common';
import { monotonicClock, nodeTimers, type TimerScheduler } from './clock.js';
import { EventQueue } from './event-queue.js';
import { Listeners } from './listeners.js';
import { routeKey, type Transport } from './transport.js';

export interface DriverOptions {
  readonly clock?: Clock;
  readonly timers?: TimerScheduler;
  readonly logger?: Logger;
}

/** handleTimeout passes in one timer callback while the core keeps reporting work due now. */
const IMMEDIATE_PASSES = 4;
/** Wait before re-firing for a deadline that still did not move forward after those passes. */
const STALE_RETRY_MS = 10;

type TypeOf<E> = E extends { readonly type: infer T extends string } ? T : never;
type Listener<E> = (event: E) => void;

/**
 * Runs one sans-IO `DatagramEndpoint` on real sockets (packages/common/src/sans-io.ts):
 * every input is fed with `now` from a monotonic clock, then outputs are drained — datagrams to the
 * transport owning their local address, events to listeners and iterators — and exactly one timer is
 * kept armed for the endpoint's earliest deadline.
 */
export class Driver<E> {
  readonly drops = new DropCounters();
  private readonly clock: Clock;
  private readonly timers: TimerScheduler;
  private readonly log: Logger;
  private readonly routes = new Map<string, Transport>();
  private byLocal = new WeakMap<object, Transport>();
  private readonly anyListeners = new Listeners<Listener<E>>();
  private readonly typedListeners = new Map<string, Listeners<Listener<E>>>();
  private readonly errorListeners = new Listeners<(err: Error, transport: Transport | undefined) => void>();
  private readonly iterators = new Set<EventQueue<E>>();
  private readonly closedListeners = new Listeners<(t: Transport) => void>();
  private timer: unknown;
  private armedAt: Millis | undefined;
  private closed = false;
  private flushing = false;

  constructor(
    readonly endpoint: DatagramEndpoint<E>,
    transports: readonly Transport[] = [],
    options: DriverOptions = {},
  ) {
    this.clock = options.clock ?? monotonicClock;
    this.timers = options.timers ?? nodeTimers;
    this.log = options.logger ?? createLogger('node:driver');
    for (const t of transports) this.addTransport(t);
    this.flush();
  }

  now(): Millis {
    return this.clock.now();
  }

  /** Start routing a transport's traffic through the endpoint (e.g. a TCP connection opened later). */
  addTransport(t: Transport): void {
    this.routes.set(routeKey(t.protocol, t.local, t.remote), t);
    this.byLocal = new WeakMap();
    t.attach({
      datagram: (d) => this.input(d),
      error: (err) => this.emitError(err, t),
      closed: () => {
        this.removeTransport(t);
        for (const l of this.closedListeners.current) l(t);
      },
    });
  }

  /** Stop routing through a transport (it is not closed). */
  removeTransport(t: Transport): void {
    const key = routeKey(t.protocol, t.local, t.remote);
    if (this.routes.get(key) === t) this.routes.delete(key);
    this.byLocal = new WeakMap();
  }

  get transports(): Transport[] {
    return [...this.routes.values()];
  }

  /** Feed one datagram (what transports call), then drain. */
  input(d: Datagram): void {
    if (this.closed) return;
    try {
      this.endpoint.handleDatagram(this.clock.now(), d);
    } catch (err) {
      // The contract says remote input never throws; if a core breaks it, the datagram is dropped
      // and reported rather than crashing the socket's event handler (and the process).
      this.drops.add('endpoint-threw');
      this.emitError(err instanceof Error ? err : new Error(String(err)), undefined);
    }
    this.flush();
  }

  /**
   * Call the endpoint with the current time (e.g. `agent.addRemoteCandidate(now, c)`), then drain its
   * outputs and re-arm the timer. Every call into the endpoint from outside must go through here.
   */
  act<R>(fn: (endpoint: DatagramEndpoint<E>, now: Millis) => R): R {
    if (this.closed) throw new Error('driver is closed');
    try {
      return fn(this.endpoint, this.clock.now());
    } finally {
      this.flush();
    }
  }

  /** Listen to every event. Returns an unsubscribe function. */
  onEvent(listener: Listener<E>): () => void {
    return this.anyListeners.add(listener);
  }

  /** Listen to events of one `type` (for endpoints whose events are a `{ type }` union). */
  on<T extends TypeOf<E>>(type: T, listener: Listener<Extract<E, { type: T }>>): () => void {
    let list = this.typedListeners.get(type);
    if (!list) {
      list = new Listeners<Listener<E>>();
      this.typedListeners.set(type, list);
    }
    return list.add(listener as Listener<E>);
  }

  /** Socket errors (send failures, ICMP errors). They never stop the driver. */
  onError(listener: (err: Error, transport: Transport | undefined) => void): () => void {
    return this.errorListeners.add(listener);
  }

  /** A stream transport ended (the peer closed or reset it); it has already stopped routing. */
  onTransportClosed(listener: (t: Transport) => void): () => void {
    return this.closedListeners.add(listener);
  }

  /** Async iteration over events from now on; ends when the driver closes. */
  events(): AsyncIterableIterator<E> {
    const q = new EventQueue<E>(() => this.iterators.delete(q));
    if (this.closed) q.end();
    else this.iterators.add(q);
    return q;
  }

  /** Resolves with the first event matching `predicate`; rejects if the driver closes first. */
  waitFor<T extends E>(predicate: (e: E) => e is T): Promise<T>;
  waitFor(predicate: (e: E) => boolean): Promise<E>;
  waitFor(predicate: (e: E) => boolean): Promise<E> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('driver is closed'));
      const offEvent = this.onEvent((e) => {
        if (!predicate(e)) return;
        cleanup();
        resolve(e);
      });
      const onClose = () => {
        cleanup();
        reject(new Error('driver closed before the event arrived'));
      };
      this.closeWaiters.add(onClose);
      const cleanup = () => {
        offEvent();
        this.closeWaiters.delete(onClose);
      };
    });
  }
  private readonly closeWaiters = new Set<() => void>();

  /** Stop the timer, end iterators, close every transport. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.disarm();
    for (const q of this.iterators) q.end();
    this.iterators.clear();
    for (const w of [...this.closeWaiters]) w();
    const transports = [...this.routes.values()];
    this.routes.clear();
    await Promise.all(transports.map((t) => t.close()));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Drain transmits and events, then arm the one timer. Re-entrant calls are folded into the outer one. */
  private flush(): void {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    try {
      for (;;) {
        let progressed = false;
        for (let d = this.endpoint.pollTransmit(); d !== undefined; d = this.endpoint.pollTransmit()) {
          this.transmit(d);
          progressed = true;
        }
        for (let e = this.endpoint.pollEvent(); e !== undefined; e = this.endpoint.pollEvent()) {
          this.deliver(e);
          progressed = true;
          if (this.closed) return;
        }
        if (!progressed) break;
      }
      this.arm(this.endpoint.pollTimeout());
    } finally {
      this.flushing = false;
    }
  }

  private transmit(d: Datagram): void {
    const protocol = d.protocol ?? 'udp';
    // Cores reuse their local address objects, so the common case is one WeakMap hit and no string.
    let t = protocol === 'udp' ? this.byLocal.get(d.local) : undefined;
    if (!t) {
      t =
        this.routes.get(routeKey(protocol, d.local, protocol === 'udp' ? undefined : d.remote)) ??
        this.routes.get(routeKey(protocol, d.local));
      if (t && protocol === 'udp') this.byLocal.set(d.local, t);
    }
    if (!t) {
      this.drops.add('no-transport');
      this.log.debug('no transport for outgoing datagram', { protocol, local: d.local, remote: d.remote });
      return;
    }
    t.send(d.remote, d.data);
  }

  private deliver(e: E): void {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string') {
      const list = this.typedListeners.get(type);
      if (list) for (const l of list.current) this.safeCall(l, e);
    }
    for (const l of this.anyListeners.current) this.safeCall(l, e);
    for (const q of this.iterators) q.push(e);
  }

  private safeCall(l: Listener<E>, e: E): void {
    try {
      l(e);
    } catch (err) {
      // A throwing listener is the application's bug; report it without corrupting the loop.
      this.emitError(err instanceof Error ? err : new Error(String(err)), undefined);
    }
  }

  private emitError(err: Error, t: Transport | undefined): void {
    if (this.errorListeners.size === 0) {
      this.log.warn('transport error', { message: err.message });
      return;
    }
    for (const l of this.errorListeners.current) l(err, t);
  }

  /** Keep exactly one timer: leave it alone if the deadline did not change, else replace it. */
  private arm(deadline: Millis | undefined): void {
    if (deadline === this.armedAt) return;
    this.disarm();
    if (deadline === undefined) return;
    const delay = Math.max(0, deadline - this.clock.now());
    this.armedAt = deadline;
    this.timer = this.timers.set(() => this.fire(), Math.ceil(delay));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = undefined;
    if (this.closed) return;
    // A core may queue work during handleTimeout that is due at once (its deadline is then `now`):
    // serve that right away, a few passes at most.
    let now = this.clock.now();
    for (let pass = 0; pass < IMMEDIATE_PASSES; pass++) {
      this.endpoint.handleTimeout(now);
      this.flush();
      if (this.closed || this.armedAt === undefined || this.armedAt > now) return;
      this.disarm();
      now = this.clock.now();
    }
    // Still due after several passes: the core does not advance its deadline (a bug). Back off so
    // it cannot spin the event loop, and count it.
    this.drops.add('stale-deadline');
    this.log.warn('endpoint deadline does not advance after handleTimeout', { now });
    this.armedAt = now;
    this.timer = this.timers.set(() => this.fire(), STALE_RETRY_MS);
  }
}

/** `new Driver(endpoint, transports)`: start running an endpoint on real sockets and the real clock. */
export function runEndpoint<E>(
  endpoint: DatagramEndpoint<E>,
  transports: readonly Transport[],
  clockOrOptions?: Clock | DriverOptions,
): Driver<E> {
  const options: DriverOptions =
    clockOrOptions && 'now' in clockOrOptions ? { clock: clockOrOptions } : (clockOrOptions ?? {});
  return new Driver(endpoint, transports, options);
}
