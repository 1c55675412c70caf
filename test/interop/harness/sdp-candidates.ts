import type { RelayAddress } from './lossy-relay.js';

/**
 * SDP candidate helpers for routing a real peer's media through a LossyRelay: read where a peer really
 * listens (its UDP host candidate on loopback), and replace every candidate a description carries by one
 * host candidate at a relay socket.
 */
export interface SdpCandidate {
  foundation: string;
  component: number;
  transport: string;
  priority: number;
  address: string;
  port: number;
  type: string;
}

/** Parse one `candidate:` attribute value (RFC 8839 §5.1), with or without the `a=` prefix. */
export function parseCandidate(line: string): SdpCandidate | undefined {
  const m = /^(?:a=)?candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)/i.exec(line.trim());
  if (!m) return undefined;
  return {
    foundation: m[1] as string,
    component: Number(m[2]),
    transport: (m[3] as string).toLowerCase(),
    priority: Number(m[4]),
    address: m[5] as string,
    port: Number(m[6]),
    type: m[7] as string,
  };
}

/** Every candidate in the description (all m-sections, in order). */
export function sdpCandidates(sdp: string): SdpCandidate[] {
  const out: SdpCandidate[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('a=candidate:')) continue;
    const c = parseCandidate(line);
    if (c) out.push(c);
  }
  return out;
}

/**
 * The UDP RTP (component 1) host candidate on `address` (default 127.0.0.1): where that peer receives on
 * loopback. Throws when there is none, listing what there is.
 */
export function loopbackUdpCandidate(sdp: string, address = '127.0.0.1'): RelayAddress {
  const all = sdpCandidates(sdp);
  const c = all.find((x) => x.transport === 'udp' && x.component === 1 && x.type === 'host' && x.address === address);
  if (!c) {
    throw new Error(`no UDP host candidate on ${address} in: ${all.map((x) => `${x.address}:${x.port}`).join(', ')}`);
  }
  return { address: c.address, port: c.port };
}

/**
 * Replace the candidates of every m-section that carries any by one UDP host candidate at `at`, and point
 * that section's `c=` line, m-line port and `a=rtcp` line there too (the default candidate, RFC 8839 §4.2.1).
 * Sections without candidates (bundled, rejected) are left alone.
 */
export function replaceCandidates(sdp: string, at: RelayAddress): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const trailing = lines.length > 0 && lines[lines.length - 1] === '' ? lines.pop() : undefined;
  // Split into the session part and m-sections.
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    (sections[sections.length - 1] as string[]).push(line);
  }
  const candidate = `a=candidate:relay 1 udp 2130706431 ${at.address} ${at.port} typ host`;
  const out: string[] = [...(sections[0] as string[])];
  for (const section of sections.slice(1)) {
    const first = section.findIndex((l) => l.startsWith('a=candidate:'));
    if (first < 0) {
      out.push(...section);
      continue;
    }
    section.forEach((line, i) => {
      if (line.startsWith('a=candidate:')) {
        if (i === first) out.push(candidate);
      } else if (line.startsWith('m=')) {
        out.push(line.replace(/^(m=\S+ )\d+/, `$1${at.port}`));
      } else if (line.startsWith('c=IN IP4 ')) {
        out.push(`c=IN IP4 ${at.address}`);
      } else if (line.startsWith('a=rtcp:')) {
        out.push(`a=rtcp:${at.port} IN IP4 ${at.address}`);
      } else {
        out.push(line);
      }
    });
  }
  if (trailing !== undefined) out.push(trailing);
  return out.join(eol);
}

/** Remove candidate lines from a trickle-ICE SDP fragment (RFC 8840): the relay's one candidate stands. */
export function stripCandidates(fragment: string): string {
  const eol = fragment.includes('\r\n') ? '\r\n' : '\n';
  return fragment
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('a=candidate:'))
    .join(eol);
}
