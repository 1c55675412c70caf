import {
  bundleMids,
  isRejected,
  mediaCandidates,
  mediaMid,
  type SdpMedia,
  type SessionDescription,
} from '@rtcwire/sdp';

/**
 * When does the BUNDLE group move to a new transport?
 *
 * RFC 9429 §5.10/§5.11 (applying descriptions): the m= sections of a BUNDLE group use the transport of the
 * BUNDLE-tag m= section (the first mid of the group, RFC 9143 §7.2.1/§7.3.1); the transports of the other
 * sections are discarded once BUNDLE is negotiated. RFC 9143 keeps the tag in place unless its section leaves
 * the group, and then hands the same transport to the new tag. Chromium 156 does not: it lists the group in m=
 * line order and, whenever the first mid changes, moves the group to a new transport (observed in
 * test/interop/chrome-bundle-tag.test.ts, as offerer and as answerer) —
 * - its first transceiver stopped (the tag leaves the group): new local sockets and candidates for the new tag,
 *   the same ICE ufrag/pwd and certificate fingerprint, a=setup:actpass again, fresh ICE checks from the new
 *   sockets and a new DTLS handshake (a new ClientHello when it is the DTLS client); the old transport closes;
 * - a new transceiver recycling line 0 after that (`BUNDLE 2 1`, the old tag 1 still in the group): again.
 * A DTLS association belongs to its transport (RFC 8842), so following such a move needs a new association
 * too, with roles from the new a=setup, and new SRTP keys from it (RFC 5764 §4.2).
 *
 * Which one a peer did shows in its description: a peer that keeps its transport repeats that transport's
 * candidates in the new tag section (JSEP §5.2.2/§5.3.2 put the gathered candidates in subsequent
 * descriptions — rtcwire does); a new transport has new candidates, or none yet (trickle). So the rule,
 * applied to every remote offer and answer against the last remote description: the transport moved when both
 * have a BUNDLE group, the tags differ, and the new tag section lists no candidate, or none that the remote had
 * signalled for the current transport: in the previous description's tag section, or trickled for the tag
 * (`signalled`). Not candidates trickled for other sections — Chromium gathers per section before BUNDLE is
 * negotiated and lists those same sockets again for a new tag — and not peer-reflexive ones, which a moved
 * peer's new sockets produce before its answer arrives. rtcwire never moves its own transport: between two
 * rtcwire peers the tag may move but the transport stays.
 */
export function bundleTransportChanged(
  previous: SessionDescription | undefined,
  next: SessionDescription,
  signalled: ReadonlySet<string> = new Set(),
): boolean {
  if (!previous) return false;
  const before = bundleMids(previous)?.[0];
  const after = bundleMids(next)?.[0];
  if (before === undefined || after === undefined || before === after) return false;
  const listed = candidateKeys(transportSection(next));
  if (listed.length === 0) return true;
  const known = new Set([...signalled, ...candidateKeys(transportSection(previous))]);
  return !listed.some((key) => known.has(key));
}

/** The key the rule compares candidates by: address (lower case) and port. */
export function candidateKey(address: string, port: number): string {
  return `${address.toLowerCase()} ${port}`;
}

/** The key of a UDP candidate line (`[candidate:]foundation component udp priority address port …`), if it is one. */
export function candidateKeyOf(text: string): string | undefined {
  const f = text
    .replace(/^candidate:/, '')
    .trim()
    .split(/\s+/);
  const port = Number(f[5]);
  return f[2]?.toLowerCase() === 'udp' && f[4] && Number.isInteger(port) ? candidateKey(f[4], port) : undefined;
}

/** Keys of the UDP candidates a section lists. */
function candidateKeys(m: SdpMedia | undefined): string[] {
  if (!m) return [];
  return mediaCandidates(m)
    .map(candidateKeyOf)
    .filter((k): k is string => k !== undefined);
}

/**
 * The section that carries the BUNDLE transport's ICE/DTLS attributes: the BUNDLE-tag section when there is
 * one, else the first section not rejected (a rejected m= line has port 0 and may carry no transport
 * attributes at all, and may come first after renegotiation).
 */
export function transportSection(desc: SessionDescription): SdpMedia | undefined {
  const tag = bundleMids(desc)?.[0];
  const tagged = tag === undefined ? undefined : desc.media.find((m) => mediaMid(m) === tag && !isRejected(m));
  return tagged ?? desc.media.find((m) => !isRejected(m)) ?? desc.media[0];
}
