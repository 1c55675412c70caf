import { lookup } from 'node:dns/promises';
import { type SocketAddress, socketAddress } from '@rtcwire/common';
import type { TurnServerConfig } from '@rtcwire/ice';

/** W3C RTCIceServer. */
export interface RTCIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface ResolvedIceServers {
  stun: SocketAddress[];
  turn: TurnServerConfig[];
  /** URLs we could not use, with why (e.g. TURN over TCP, which the ICE agent does not gather yet). */
  skipped: { url: string; reason: string }[];
}

/** RFC 7064 / RFC 7065 URIs: `stun:host[:port]`, `turn:host[:port][?transport=udp|tcp]`, `turns:…`. */
export async function resolveIceServers(servers: readonly RTCIceServer[]): Promise<ResolvedIceServers> {
  const out: ResolvedIceServers = { stun: [], turn: [], skipped: [] };
  for (const server of servers) {
    for (const url of Array.isArray(server.urls) ? server.urls : [server.urls]) {
      const m = /^(stuns?|turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
      if (!m) {
        out.skipped.push({ url, reason: 'not a stun:/turn: URI' });
        continue;
      }
      const scheme = (m[1] as string).toLowerCase();
      const host = (m[2] as string).replace(/^\[|\]$/g, '');
      const secure = scheme.endsWith('s');
      const port = m[3] ? Number(m[3]) : secure ? 5349 : 3478;
      const transport = (m[4] ?? (secure ? 'tcp' : 'udp')).toLowerCase();
      if (secure || transport !== 'udp') {
        out.skipped.push({
          url,
          reason: 'only UDP STUN/TURN servers gather candidates (TCP/TLS TURN is used by the CLI client)',
        });
        continue;
      }
      const { address } = await lookup(host);
      const addr = socketAddress(address, port);
      if (scheme === 'stun') out.stun.push(addr);
      else {
        if (server.username === undefined || server.credential === undefined)
          throw new TypeError(`TURN server ${url} needs username and credential`);
        out.turn.push({ address: addr, username: server.username, password: server.credential });
      }
    }
  }
  return out;
}
