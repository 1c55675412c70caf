import { bundleMids, isRejected, mediaMid, type SdpMedia, type SessionDescription } from '@rtcwire/sdp';

/**
 * When does the BUNDLE group move to a new transport?
 *
 * RFC 9429 §5.10/§5.11 (applying descriptions): the m= sections of a BUNDLE group use the transport of the
 * BUNDLE-tag m= section (the first mid of the group, RFC 9143 §7.2.1/§7.3.1); the transports of the other
 * sections are discarded once BUNDLE is negotiated. The tag stays on the same section in later offers
 * unless that section leaves the group (it is stopped: port 0, RFC 9143 §7.5.3). Then the group's transport is
 * the transport of the *newly* tagged section — a different transport, because the one it had was discarded.
 * Chromium 156 behaves exactly so, as offerer and as answerer (observed in test/interop/chrome-bundle-tag):
 * new local ports and candidates for the new tag, the same ICE ufrag/pwd and certificate fingerprint, fresh
 * ICE checks from the new sockets and a new DTLS handshake (a new ClientHello when it is the DTLS client);
 * the old transport is closed. A DTLS association belongs to its transport (RFC 8842 §5), so both sides need
 * a new one, with roles from the new a=setup, and new SRTP keys from it (RFC 5764 §4.2).
 *
 * Our rule, applied to every remote offer and answer against the last remote description: the transport
 * changes when both have a BUNDLE group, their tags differ, and the previous tag is no longer an accepted
 * member of the new group. Both sides decide from the same pair of descriptions, so they agree — including
 * when rtcwire is the offerer that moved the tag (our offer writes the first accepted section as the tag).
 */
export function bundleTransportChanged(previous: SessionDescription | undefined, next: SessionDescription): boolean {
  if (!previous) return false;
  const before = bundleMids(previous)?.[0];
  const group = bundleMids(next);
  const after = group?.[0];
  if (before === undefined || after === undefined || before === after) return false;
  const oldTag = next.media.find((m) => mediaMid(m) === before);
  return !group?.includes(before) || oldTag === undefined || isRejected(oldTag);
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
