/**
 * DTLS over UDP: `connectDtls` (client) and `DtlsListener` (server), each running the sans-IO
 * core from @rtcwire/dtls on one node:dgram socket with the node `Driver` (one timer armed for
 * the core's pollTimeout).
 */
import { formatAddress, parseAddress, type SocketAddress } from '@rtcwire/common';
import {
  DtlsClient,
  type DtlsClientOptions,
  DtlsError,
  type DtlsEvent,
  DtlsServer,
  type DtlsServerOptions,
} from '@rtcwire/dtls';
import { Driver, type DriverOptions } from '../driver.js';
import { type UdpBindOptions, UdpTransport } from '../udp-transport.js';
import { type DtlsCore, DtlsPeerEndpoint, DtlsServerEndpoint, type DtlsServerEvent } from './dtls-endpoint.js';
import { DtlsSession } from './dtls-session.js';

export interface DtlsConnectOptions {
  /** `host:port` or an address. */
  readonly remote: string | SocketAddress;
  /** Local socket; default: an ephemeral port on the address family of `remote`. */
  readonly bind?: UdpBindOptions;
  /** Options for the DtlsClient (credential, verifyPeer, psk, srtpProfiles, mtu …). */
  readonly dtls: DtlsClientOptions;
  /**
   * Give up (DtlsError code `handshake_timeout`) when not connected after this many ms. Without
   * it the core's own retransmission limit applies (RFC 6347 §4.2.4.1 back-off: minutes).
   */
  readonly handshakeTimeoutMs?: number;
  readonly driver?: DriverOptions;
}

/**
 * Close after the datagrams already handed to node:dgram are on the wire (a final alert or
 * close_notify): dgram sends after a nextTick, and closing the socket first would drop them.
 */
function closeSoon(driver: { close(): Promise<void> }): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => driver.close());
}

function toAddress(remote: string | SocketAddress): SocketAddress {
  if (typeof remote !== 'string') return remote;
  const parsed = parseAddress(remote);
  if (!parsed) throw new RangeError(`expected host:port, got "${remote}"`);
  return parsed;
}

/** Runs one session on a dedicated driver (client side, or any core with a known peer). */
async function runSingle(
  core: DtlsCore,
  remote: SocketAddress,
  bind: UdpBindOptions,
  driverOptions: DriverOptions | undefined,
) {
  const transport = await UdpTransport.bind(bind);
  const endpoint = new DtlsPeerEndpoint(core, transport.local, remote);
  const driver = new Driver<DtlsEvent>(endpoint, [transport], driverOptions);
  const session = new DtlsSession(
    core,
    transport.local,
    remote,
    (fn) => {
      if (!driver.isClosed) driver.act(() => fn(core));
    },
    () => closeSoon(driver),
  );
  driver.onEvent((event) => session.deliver(event));
  driver.onError((err) => {
    // ECONNREFUSED (ICMP port unreachable) during the handshake: keep retransmitting, the core times out.
    if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') {
      session.abort(new DtlsError('transport_error', err.message, { cause: err }));
    }
  });
  session.onClose(() => {
    void closeSoon(driver);
  });
  return { session, driver };
}

/**
 * Opens a UDP socket, runs the handshake and resolves with the session once connected. On failure
 * rejects with the DtlsError (alert name, who sent it, reason) and closes the socket.
 */
export async function connectDtls(options: DtlsConnectOptions): Promise<DtlsSession> {
  const remote = toAddress(options.remote);
  const bind: UdpBindOptions = options.bind ?? { address: remote.family === 'IPv6' ? '::' : '0.0.0.0', port: 0 };
  const core = new DtlsClient(options.dtls);
  const { session, driver } = await runSingle(core, remote, bind, options.driver);
  driver.act((_endpoint, now) => core.start(now));
  const timeoutMs = options.handshakeTimeoutMs;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          session.abort(
            new DtlsError(
              'handshake_timeout',
              `no DTLS handshake with ${formatAddress(remote)} within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
  try {
    await session.connected();
  } catch (err) {
    await closeSoon(driver);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return session;
}

export interface DtlsListenOptions {
  /** Local `host:port` (or bind options). */
  readonly local: string | UdpBindOptions;
  /** Options for each DtlsServer; a function to vary them per peer. */
  readonly dtls: DtlsServerOptions | ((remote: SocketAddress) => DtlsServerOptions);
  readonly maxSessions?: number;
  readonly driver?: DriverOptions;
}

/** A listening DTLS server: one UDP socket, one DtlsServer per peer address. */
export class DtlsListener {
  private readonly sessions = new Map<DtlsCore, DtlsSession>();
  private readonly sessionListeners: ((session: DtlsSession) => void)[] = [];
  private readonly connectedListeners: ((session: DtlsSession) => void)[] = [];
  private readonly failureListeners: ((session: DtlsSession, error: DtlsError) => void)[] = [];

  private constructor(
    private readonly driver: Driver<DtlsServerEvent>,
    private readonly endpoint: DtlsServerEndpoint,
    readonly local: SocketAddress,
  ) {
    driver.onEvent((e) => this.onEvent(e));
  }

  static async listen(options: DtlsListenOptions): Promise<DtlsListener> {
    let bind: UdpBindOptions;
    if (typeof options.local === 'string') {
      const a = toAddress(options.local);
      bind = { address: a.address, port: a.port };
    } else {
      bind = options.local;
    }
    const transport = await UdpTransport.bind(bind);
    const dtls = options.dtls;
    const endpoint = new DtlsServerEndpoint(transport.local, {
      createCore: (remote) => new DtlsServer(typeof dtls === 'function' ? dtls(remote) : dtls),
      ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    });
    const driver = new Driver<DtlsServerEvent>(endpoint, [transport], options.driver);
    return new DtlsListener(driver, endpoint, transport.local);
  }

  /** A peer sent a ClientHello (its session is still handshaking). */
  onSession(listener: (session: DtlsSession) => void): () => void {
    return add(this.sessionListeners, listener);
  }

  /** A peer finished the handshake. */
  onConnected(listener: (session: DtlsSession) => void): () => void {
    return add(this.connectedListeners, listener);
  }

  /** A peer's handshake or connection failed (alert sent or received, timeout). */
  onFailure(listener: (session: DtlsSession, error: DtlsError) => void): () => void {
    return add(this.failureListeners, listener);
  }

  /** Resolves with the next peer that finishes its handshake. */
  accept(): Promise<DtlsSession> {
    return new Promise((resolve) => {
      const off = this.onConnected((s) => {
        off();
        resolve(s);
      });
    });
  }

  /** Refuse new peers; existing sessions continue. */
  stopAccepting(): void {
    this.endpoint.stopAccepting();
  }

  /** Close every session (close_notify) and the socket. */
  async close(): Promise<void> {
    if (this.driver.isClosed) return;
    for (const s of [...this.sessions.values()]) {
      if (s.state === 'connected' || s.state === 'handshaking') {
        this.driver.act(() => {
          s.core.close();
          this.endpoint.flushSession(s.remote);
        });
      }
    }
    for (const s of this.sessions.values()) s.abort(new DtlsError('closed', 'listener closed'));
    await closeSoon(this.driver);
  }

  private onEvent(e: DtlsServerEvent): void {
    if (e.type === 'session') {
      const session = new DtlsSession(
        e.core,
        this.local,
        e.remote,
        (fn) => {
          if (this.driver.isClosed) return;
          this.driver.act(() => {
            fn(e.core);
            this.endpoint.flushSession(e.remote);
          });
        },
        async () => {
          this.sessions.delete(e.core);
        },
      );
      this.sessions.set(e.core, session);
      for (const l of [...this.sessionListeners]) l(session);
      return;
    }
    const session = this.sessions.get(e.core);
    if (!session) return;
    session.deliver(e.event);
    if (e.event.type === 'connected') for (const l of [...this.connectedListeners]) l(session);
    if (e.event.type === 'failed') for (const l of [...this.failureListeners]) l(session, e.event.error);
    if (e.event.type === 'failed' || e.event.type === 'closed') this.sessions.delete(e.core);
  }
}

function add<T>(list: T[], item: T): () => void {
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
}
