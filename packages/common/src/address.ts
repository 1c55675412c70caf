/**
 * Transport addresses and datagrams as every sans-IO core sees them. The node layer and netsim
 * translate between these and real sockets / simulated links.
 */
export type AddressFamily = 'IPv4' | 'IPv6';
export type TransportProtocol = 'udp' | 'tcp';

export interface SocketAddress {
  readonly address: string;
  readonly port: number;
  readonly family: AddressFamily;
}

export function socketAddress(address: string, port: number): SocketAddress {
  return { address, port, family: address.includes(':') ? 'IPv6' : 'IPv4' };
}

/** `1.2.3.4:5` or `[::1]:5`. */
export function formatAddress(a: SocketAddress): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/** Parse `host:port` or `[v6]:port`; returns undefined when malformed. */
export function parseAddress(text: string): SocketAddress | undefined {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return socketAddress(m[1] as string, port);
}

export function sameAddress(a: SocketAddress, b: SocketAddress): boolean {
  return a.port === b.port && a.address === b.address;
}

/** A datagram leaving or entering a sans-IO core. `local` is the local socket address it uses. */
export interface Datagram {
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  readonly data: Uint8Array;
  readonly protocol?: TransportProtocol;
}
