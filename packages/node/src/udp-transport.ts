import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { type AddressFamily, type Datagram, type SocketAddress, socketAddress } from '@rtcwire/common';
import type { Transport, TransportHandlers } from './transport.js';

export interface UdpBindOptions {
  /** Local address to bind; `0.0.0.0` (or `::` for IPv6) when absent. */
  readonly address?: string;
  /** One port (0 = any). Ignored when `portRange` is given. */
  readonly port?: number;
  /** Try ports min..max in order, skipping those in use (EADDRINUSE). */
  readonly portRange?: { readonly min: number; readonly max: number };
  /** Only needed when `address` is absent. */
  readonly family?: AddressFamily;
  /** Socket buffer sizes in bytes (optional). */
  readonly recvBufferSize?: number;
  readonly sendBufferSize?: number;
}

/** A bound UDP socket delivering `Datagram`s; the buffers are Node's, handed over without copying. */
export class UdpTransport implements Transport {
  readonly protocol = 'udp' as const;
  readonly remote = undefined;
  private handlers: TransportHandlers | undefined;
  private closed = false;
  // The last sender's address, reused while it does not change (no allocation per packet).
  private lastRemote: SocketAddress | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly local: SocketAddress,
  ) {
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.onMessage(msg, rinfo));
    socket.on('error', (err) => this.handlers?.error(err));
  }

  /** Bind a socket; with a port range, walks the range until a port is free. */
  static async bind(options: UdpBindOptions = {}): Promise<UdpTransport> {
    const family = options.address ? (options.address.includes(':') ? 'IPv6' : 'IPv4') : (options.family ?? 'IPv4');
    const address = options.address ?? (family === 'IPv6' ? '::' : '0.0.0.0');
    const range = options.portRange;
    if (range && (range.min < 1 || range.max > 65535 || range.min > range.max)) {
      throw new RangeError(`invalid port range ${range.min}-${range.max}`);
    }
    const ports = range ? portsIn(range.min, range.max) : [options.port ?? 0];
    let lastError: Error | undefined;
    for (const port of ports) {
      try {
        const socket = await bindOnce(family, address, port);
        if (options.recvBufferSize) socket.setRecvBufferSize(options.recvBufferSize);
        if (options.sendBufferSize) socket.setSendBufferSize(options.sendBufferSize);
        const bound = socket.address();
        return new UdpTransport(socket, socketAddress(bound.address, bound.port));
      } catch (err) {
        lastError = err as Error;
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
    throw new Error(
      range ? `no free UDP port in ${range.min}-${range.max} on ${address}` : `cannot bind UDP ${address}`,
      { cause: lastError },
    );
  }

  attach(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }

  /**
   * Send one datagram. Never throws: a bad destination (port 0, a name instead of an IP, which would
   * start a DNS lookup per packet) and socket errors go to the error handler — destinations can come
   * from remote input (candidates, TURN peers).
   */
  send(remote: SocketAddress, data: Uint8Array): void {
    if (this.closed) return;
    if (!isIP(remote.address) || !Number.isInteger(remote.port) || remote.port < 1 || remote.port > 65535) {
      this.handlers?.error(new Error(`invalid UDP destination ${remote.address}:${remote.port}`));
      return;
    }
    try {
      this.socket.send(data, remote.port, remote.address, this.onSent);
    } catch (err) {
      this.handlers?.error(err as Error);
    }
  }

  // Send errors (EINVAL across families, EHOSTUNREACH, ICMP errors) are not fatal for UDP.
  private readonly onSent = (err: Error | null): void => {
    if (err) this.handlers?.error(err);
  };

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const handlers = this.handlers;
    if (!handlers) return;
    let remote = this.lastRemote;
    if (!remote || remote.port !== rinfo.port || remote.address !== rinfo.address) {
      remote = socketAddress(rinfo.address, rinfo.port);
      this.lastRemote = remote;
    }
    const d: Datagram = { local: this.local, remote, data: msg, protocol: 'udp' };
    handlers.datagram(d);
  }
}

function bindOnce(family: AddressFamily, address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: family === 'IPv6' ? 'udp6' : 'udp4', ipv6Only: family === 'IPv6' });
    const onError = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function portsIn(min: number, max: number): number[] {
  const out: number[] = [];
  for (let p = min; p <= max; p++) out.push(p);
  return out;
}
