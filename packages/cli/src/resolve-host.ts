import { lookup } from 'node:dns/promises';
import { type SocketAddress, socketAddress } from '@rtcwire/common';
import { CommandError } from './command.js';

/** Resolve a host name (or literal) to one address; a lookup failure is a one-line CommandError. */
export async function resolveHost(host: string, port: number): Promise<SocketAddress> {
  try {
    const { address } = await lookup(host);
    return socketAddress(address, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new CommandError(`cannot resolve '${host}' (${code})`);
  }
}
