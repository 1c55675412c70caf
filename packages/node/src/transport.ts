import type { Datagram, SocketAddress, TransportProtocol } from '@rtcwire/common';

/**
 * What the driver needs from a socket: a local address to route outgoing datagrams by, a way to
 * send, and a callback for what arrives. UDP sockets and TCP/TLS connections both implement it.
 */
export interface Transport {
  readonly protocol: TransportProtocol;
  readonly local: SocketAddress;
  /** The connected peer for stream transports; undefined for UDP. */
  readonly remote: SocketAddress | undefined;
  send(remote: SocketAddress, data: Uint8Array): void;
  /** Install the receive callbacks (one owner at a time; the driver calls this). */
  attach(handlers: TransportHandlers): void;
  close(): Promise<void>;
}

export interface TransportHandlers {
  datagram(d: Datagram): void;
  error(err: Error): void;
  /** A stream transport ended (peer closed or reset); UDP transports never call this. */
  closed?(): void;
}

/** `udp|127.0.0.1|5000` (UDP) or `tcp|local|port|remote|port` (stream): the driver's routing key. */
export function routeKey(protocol: TransportProtocol, local: SocketAddress, remote?: SocketAddress): string {
  return protocol === 'udp' || !remote
    ? `${protocol}|${local.address}|${local.port}`
    : `${protocol}|${local.address}|${local.port}|${remote.address}|${remote.port}`;
}
