import type { Datagram, Logger, RandomSource, SocketAddress } from '@rtcwire/common';
import { sameAddress } from '@rtcwire/common';
import { TurnClient } from './turn/index.js';
import type { TurnServerConfig } from './types.js';

/** What the agent learns from its TURN clients. */
export interface RelayListener {
  /** An allocation succeeded: `relayed` becomes a relayed candidate with base `relayed` (RFC 8445 §5.1.1). */
  onAllocated(
    now: number,
    relayed: SocketAddress,
    mapped: SocketAddress | undefined,
    socket: SocketAddress,
    server: SocketAddress,
  ): void;
  /** An allocation attempt finished, successfully or not (gathering for it is over). */
  onAllocationSettled(now: number): void;
  /** A datagram a peer sent to one of our relayed addresses, as if received on that address. */
  onRelayed(now: number, datagram: Datagram): void;
}

interface Relay {
  readonly server: SocketAddress;
  readonly socket: SocketAddress;
  readonly client: TurnClient;
}

/**
 * The agent's TURN clients (RFC 8656, UDP allocations), one per configured server, each on the first
 * local socket of the server's address family. Wraps sending from a relayed address and unwraps
 * relayed traffic back into plain datagrams for the agent.
 */
export class Relays {
  private readonly relays: Relay[] = [];

  constructor(
    configs: readonly TurnServerConfig[],
    sockets: readonly SocketAddress[],
    random: RandomSource,
    logger: Logger,
    private readonly listener: RelayListener,
    private readonly out: Datagram[],
  ) {
    for (const c of configs) {
      const socket = sockets.find((s) => s.family === c.address.family);
      if (!socket) continue;
      const client = new TurnClient({
        server: c.address,
        local: socket,
        username: c.username,
        password: c.password,
        random,
        logger: logger.child('turn'),
      });
      this.relays.push({ server: c.address, socket, client });
    }
  }

  /**
   * Start allocations that have not started; re-announce live ones (after an ICE restart).
   * Returns how many allocations are still pending.
   */
  gather(now: number): number {
    let pending = 0;
    for (const r of this.relays) {
      if (r.client.state === 'idle') {
        r.client.allocate(now);
        pending++;
      } else if (r.client.state === 'allocating') {
        pending++;
      } else if (r.client.state === 'allocated' && r.client.relayedAddress) {
        this.listener.onAllocated(now, r.client.relayedAddress, r.client.mappedAddress, r.socket, r.server);
      }
    }
    this.flush(now);
    return pending;
  }

  /** Consume a datagram when it comes from one of our TURN servers on its socket. */
  handleDatagram(now: number, d: Datagram): boolean {
    const r = this.relays.find((x) => sameAddress(x.server, d.remote) && sameAddress(x.socket, d.local));
    if (!r) return false;
    r.client.handleDatagram(now, d);
    this.flush(now);
    return true;
  }

  /**
   * Send from base `local`: through its TURN client when `local` is one of our relayed addresses,
   * else directly from that socket. False when the relay is not usable.
   */
  transmit(now: number, local: SocketAddress, remote: SocketAddress, data: Uint8Array): boolean {
    const relayed = this.relays.some(
      (r) => r.client.relayedAddress !== undefined && sameAddress(r.client.relayedAddress, local),
    );
    if (relayed) return this.send(now, local, remote, data);
    this.out.push({ local, remote, data });
    return true;
  }

  /** Send `data` from relayed address `local` to `remote` through its TURN server. */
  send(now: number, local: SocketAddress, remote: SocketAddress, data: Uint8Array): boolean {
    const r = this.relays.find(
      (x) => x.client.relayedAddress !== undefined && sameAddress(x.client.relayedAddress, local),
    );
    if (r?.client.state !== 'allocated') return false;
    r.client.send(now, remote, data);
    this.flush(now);
    return true;
  }

  handleTimeout(now: number): void {
    for (const r of this.relays) {
      const t = r.client.pollTimeout();
      if (t !== undefined && t <= now) r.client.handleTimeout(now);
    }
    this.flush(now);
  }

  pollTimeout(): number | undefined {
    let best: number | undefined;
    for (const r of this.relays) {
      const t = r.client.pollTimeout();
      if (t !== undefined && (best === undefined || t < best)) best = t;
    }
    return best;
  }

  close(now: number): void {
    for (const r of this.relays) r.client.close(now);
    this.flush(now);
  }

  private flush(now: number): void {
    for (const r of this.relays) {
      for (let d = r.client.pollTransmit(); d; d = r.client.pollTransmit()) this.out.push(d);
      for (let e = r.client.pollEvent(); e; e = r.client.pollEvent()) {
        if (e.type === 'allocated') {
          this.listener.onAllocated(now, e.relayed, e.mapped, r.socket, r.server);
          this.listener.onAllocationSettled(now);
        } else if (e.type === 'failed' && r.client.relayedAddress === undefined) this.listener.onAllocationSettled(now);
        else if (e.type === 'data' && r.client.relayedAddress) {
          this.listener.onRelayed(now, { local: r.client.relayedAddress, remote: e.peer, data: e.data });
        }
      }
    }
  }
}
