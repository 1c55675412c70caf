import type { Datagram, DatagramEndpoint, Millis, SocketAddress } from '@rtcwire/common';
import type { TimerScheduler } from '../src/clock.js';
import type { Transport, TransportHandlers } from '../src/transport.js';

/** A scheduler whose timers only run when the test says so; it records every set/clear. */
export class FakeTimers implements TimerScheduler {
  readonly pending = new Map<number, { callback: () => void; delayMs: number }>();
  sets = 0;
  clears = 0;
  private nextId = 1;
  set(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { callback, delayMs });
    this.sets++;
    return id;
  }
  clear(handle: unknown): void {
    if (this.pending.delete(handle as number)) this.clears++;
  }
  /** The single pending timer (throws if there are zero or several). */
  only(): { callback: () => void; delayMs: number } {
    if (this.pending.size !== 1) throw new Error(`expected exactly one timer, found ${this.pending.size}`);
    return [...this.pending.values()][0] as { callback: () => void; delayMs: number };
  }
  fire(): void {
    const [id, t] = [...this.pending.entries()][0] ?? [];
    if (id === undefined || !t) throw new Error('no timer to fire');
    this.pending.delete(id);
    t.callback();
  }
}

export type FakeEvent = { type: 'tick'; at: Millis } | { type: 'echo'; bytes: number };

/** A scripted endpoint: echoes datagrams back, emits events, and reports `deadline`. */
export class FakeEndpoint implements DatagramEndpoint<FakeEvent> {
  deadline: Millis | undefined;
  /** When set, each timeout moves the deadline by this much. */
  period: Millis | undefined;
  timeouts: Millis[] = [];
  received: Datagram[] = [];
  out: Datagram[] = [];
  events: FakeEvent[] = [];
  pollTimeoutCalls = 0;

  handleDatagram(_now: Millis, d: Datagram): void {
    this.received.push(d);
    this.out.push({ local: d.local, remote: d.remote, data: d.data, protocol: d.protocol ?? 'udp' });
    this.events.push({ type: 'echo', bytes: d.data.byteLength });
  }
  handleTimeout(now: Millis): void {
    this.timeouts.push(now);
    if (this.deadline !== undefined && now >= this.deadline) {
      this.events.push({ type: 'tick', at: now });
      this.deadline = this.period === undefined ? undefined : this.deadline + this.period;
    }
  }
  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }
  pollEvent(): FakeEvent | undefined {
    return this.events.shift();
  }
  pollTimeout(): Millis | undefined {
    this.pollTimeoutCalls++;
    return this.deadline;
  }
}

/** An in-memory transport recording what the driver sends. */
export class MemoryTransport implements Transport {
  sent: { remote: SocketAddress; data: Uint8Array }[] = [];
  handlers: TransportHandlers | undefined;
  closed = false;
  constructor(
    readonly local: SocketAddress,
    readonly protocol: 'udp' | 'tcp' = 'udp',
    readonly remote: SocketAddress | undefined = undefined,
  ) {}
  attach(h: TransportHandlers): void {
    this.handlers = h;
  }
  send(remote: SocketAddress, data: Uint8Array): void {
    this.sent.push({ remote, data });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  receive(remote: SocketAddress, data: Uint8Array): void {
    this.handlers?.datagram({ local: this.local, remote, data, protocol: this.protocol });
  }
}
