/**
 * Adapters that turn @rtcwire/dtls connections (bytes in, bytes out) into `DatagramEndpoint`s the
 * node `Driver` can run on a UDP socket:
 * - `DtlsPeerEndpoint`: one connection to one remote address (a client, or a server for a known peer).
 * - `DtlsServerEndpoint`: a listening server that starts one connection per remote address whose
 *   first datagram looks like a ClientHello record, and tags every event with that address.
 * Both are still sans-IO: `now` comes from the driver.
 */
import {
  type Datagram,
  type DatagramEndpoint,
  DropCounters,
  earliest,
  formatAddress,
  type Millis,
  type SocketAddress,
  sameAddress,
} from '@rtcwire/common';
import type { DtlsConnectionInfo, DtlsEvent, DtlsState } from '@rtcwire/dtls';

/** What the node layer needs from a DTLS connection (DtlsClient / DtlsServer implement it). */
export interface DtlsCore {
  readonly role: 'client' | 'server';
  readonly state: DtlsState;
  readonly connectionInfo: DtlsConnectionInfo | undefined;
  /** Clients: send the first flight. */
  start?(now: number): void;
  handle(now: number, datagram: Uint8Array): void;
  handleTimeout(now: number): void;
  pollTransmit(): Uint8Array | undefined;
  pollEvent(): DtlsEvent | undefined;
  pollTimeout(): number | undefined;
  send(data: Uint8Array): void;
  close(): void;
  exportKeyingMaterial(label: string, length: number, context?: Uint8Array): Uint8Array;
}

export class DtlsPeerEndpoint implements DatagramEndpoint<DtlsEvent> {
  readonly drops = new DropCounters();

  constructor(
    readonly core: DtlsCore,
    readonly local: SocketAddress,
    readonly remote: SocketAddress,
  ) {}

  /** Clients start by sending their first flight; call once through the driver. */
  handleDatagram(now: Millis, d: Datagram): void {
    if (!sameAddress(d.remote, this.remote)) {
      this.drops.add('foreign_source');
      return;
    }
    this.core.handle(now, d.data);
  }

  handleTimeout(now: Millis): void {
    this.core.handleTimeout(now);
  }

  pollTransmit(): Datagram | undefined {
    const data = this.core.pollTransmit();
    return data === undefined ? undefined : { local: this.local, remote: this.remote, data, protocol: 'udp' };
  }

  pollEvent(): DtlsEvent | undefined {
    return this.core.pollEvent();
  }

  pollTimeout(): Millis | undefined {
    return this.core.pollTimeout();
  }
}

/** An event of one of the server's connections, tagged with the peer's address. */
export type DtlsServerEvent =
  | { readonly type: 'session'; readonly remote: SocketAddress; readonly core: DtlsCore }
  | {
      readonly type: 'session-event';
      readonly remote: SocketAddress;
      readonly core: DtlsCore;
      readonly event: DtlsEvent;
    };

// RFC 6347 §4.1: content type 22 (handshake), version, epoch 0; §4.2.2: handshake type 1 (ClientHello).
function looksLikeClientHello(data: Uint8Array): boolean {
  return data.byteLength >= 13 + 12 && data[0] === 22 && data[3] === 0 && data[4] === 0 && data[13] === 1;
}

export interface DtlsServerEndpointOptions {
  /** Makes the connection for a new peer. */
  readonly createCore: (remote: SocketAddress) => DtlsCore;
  /** Most concurrent peers; further ClientHellos are dropped (default 256). */
  readonly maxSessions?: number;
}

export class DtlsServerEndpoint implements DatagramEndpoint<DtlsServerEvent> {
  readonly drops = new DropCounters();
  private readonly sessions = new Map<string, { core: DtlsCore; remote: SocketAddress }>();
  private readonly transmits: Datagram[] = [];
  private readonly events: DtlsServerEvent[] = [];
  private readonly maxSessions: number;
  private accepting = true;

  constructor(
    readonly local: SocketAddress,
    private readonly options: DtlsServerEndpointOptions,
  ) {
    this.maxSessions = options.maxSessions ?? 256;
  }

  /** Stop creating sessions for new peers (existing ones continue). */
  stopAccepting(): void {
    this.accepting = false;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  handleDatagram(now: Millis, d: Datagram): void {
    const key = formatAddress(d.remote);
    let session = this.sessions.get(key);
    if (!session) {
      if (!looksLikeClientHello(d.data)) {
        this.drops.add('no_session');
        return;
      }
      if (!this.accepting || this.sessions.size >= this.maxSessions) {
        this.drops.add('not_accepting');
        return;
      }
      session = { core: this.options.createCore(d.remote), remote: d.remote };
      this.sessions.set(key, session);
      this.events.push({ type: 'session', remote: d.remote, core: session.core });
    }
    session.core.handle(now, d.data);
    this.collect(key, session);
  }

  handleTimeout(now: Millis): void {
    for (const [key, session] of [...this.sessions]) {
      const due = session.core.pollTimeout();
      if (due !== undefined && due <= now) session.core.handleTimeout(now);
      this.collect(key, session);
    }
  }

  /** Call after acting on a session from outside (send, close) so its output is collected. */
  flushSession(remote: SocketAddress): void {
    const key = formatAddress(remote);
    const session = this.sessions.get(key);
    if (session) this.collect(key, session);
  }

  pollTransmit(): Datagram | undefined {
    return this.transmits.shift();
  }

  pollEvent(): DtlsServerEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): Millis | undefined {
    return earliest(...[...this.sessions.values()].map((s) => s.core.pollTimeout()));
  }

  private collect(key: string, session: { core: DtlsCore; remote: SocketAddress }): void {
    for (let data = session.core.pollTransmit(); data !== undefined; data = session.core.pollTransmit()) {
      this.transmits.push({ local: this.local, remote: session.remote, data, protocol: 'udp' });
    }
    for (let event = session.core.pollEvent(); event !== undefined; event = session.core.pollEvent()) {
      this.events.push({ type: 'session-event', remote: session.remote, core: session.core, event });
    }
    // A finished connection frees its address: a new ClientHello from it starts over.
    if (session.core.state === 'closed' || session.core.state === 'failed') this.sessions.delete(key);
  }
}
