import { bundleMids, isRejected, mediaMid, type SdpMedia, type SessionDescription } from '@rtcwire/sdp';

/**
 * When does the BUNDLE group move to a new transport?
 *
 * RFC 9429 §5.10/§5.11 (applying descriptions): the m= sections of a BUNDLE group use the transport of the
 * BUNDLE-tag m= section (the first mid of the group, RFC 9143 §7.2.1/§7.3.1); the transports of the other
 * sections are discarded once BUNDLE is negotiated. So when the tag names another section, the group's transport
 * is the transport of the newly tagged section — a different one, since the one it had was discarded. RFC 9143
 * asks an offerer to keep the tag where it is unless that section leaves the group, but Chromium 156 lists the
 * group in m= line order and moves the tag whenever line order changes it, and then always moves transport, as
 * offerer and as answerer (observed in test/interop/chrome-bundle-tag.test.ts):
 * - its first transceiver stopped (the tag leaves the group): new local sockets and candidates for the new tag,
 *   the same ICE ufrag/pwd and certificate fingerprint, a=setup:actpass again, fresh ICE checks from the new
 *   sockets and a new DTLS handshake (a new ClientHello when it is the DTLS client); the old transport closes;
 * - a new transceiver recycling line 0 after that (`BUNDLE 2 1`, the old tag 1 still in the group): again a new
 *   transport for the new tag.
 * A DTLS association belongs to its transport (RFC 8842), so both sides need a new one, with roles from the
 * new a=setup, and new SRTP keys from it (RFC 5764 §4.2).
 *
 * Our rule, applied to every remote offer and answer against the last remote description: the transport
 * changes when both have a BUNDLE group and the tags differ. Both sides decide from the same descriptions, so
 * two rtcwire peers agree, and rtcwire as offerer (which also writes the group in m= line order) agrees with
 * Chromium as answerer.
 */
export function bundleTransportChanged(previous: SessionDescription | undefined, next: SessionDescription): boolean {
  if (!previous) return false;
  const before = bundleMids(previous)?.[0];
  const after = bundleMids(next)?.[0];
  return before !== undefined && after !== undefined && before !== after;
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
