import {
  attributeValues,
  isRejected,
  mediaDirection,
  mediaMid,
  type SdpMedia,
  type SessionDescription,
} from '@rtcwire/sdp';
import { answerDirection, reverseDirection } from '../jsep/direction.js';
import type { Transceiver } from './transceiver.js';

export interface NegotiationNeededOptions {
  /** Type of the current local description: the last negotiation made us the offerer or the answerer. */
  localType?: 'offer' | 'answer';
  /** restartIce() ran and no local description carrying the new credentials has been set since. */
  iceRestartPending?: boolean;
}

/**
 * W3C webrtc-pc §4.7.3 "check if negotiation is needed", over the engine's transceivers and the current
 * (stable) local and remote descriptions. Meant to be called only in the `stable` signaling state.
 */
export function isNegotiationNeeded(
  transceivers: readonly Transceiver[],
  local: SessionDescription | undefined,
  remote: SessionDescription | undefined,
  opts: NegotiationNeededOptions = {},
): boolean {
  // §4.7.3 step 2: [[LocalIceCredentialsToReplace]] is not empty.
  if (opts.iceRestartPending) return true;
  for (const t of transceivers) {
    const ours = sectionFor(local, t.mid);
    const theirs = sectionFor(remote, t.mid);
    if (t.stopped) {
      // Step 5.4 (and 5.1, "stopping"): a stopped transceiver whose m= line is not yet rejected in the current
      // local or remote description needs the rejection negotiated. One that never got an m= line has nothing
      // to negotiate (the next offer simply leaves it out, webrtc-pc §4.4.1.5).
      if (ours && (!isRejected(ours) || (theirs !== undefined && !isRejected(theirs)))) return true;
      continue;
    }
    // Step 5.2: not yet associated with an m= section of the current local description.
    if (!ours || !local) return true;
    if (isRejected(ours)) continue; // rejected line on a not-yet-removed transceiver: nothing to renegotiate
    // Step 5.3.1: a sending transceiver's stream ids must match the section's a=msid. rtcwire writes one
    // a=msid naming the first stream ('-' when none), so that is what we compare.
    if ((t.direction === 'sendrecv' || t.direction === 'sendonly') && !msidMatches(ours, t.sender.streamIds))
      return true;
    const negotiated = mediaDirection(ours, local);
    if (opts.localType !== 'answer') {
      // Step 5.3.2: we offered; neither our offer's direction nor the answer's (seen from our side) is ours.
      const answered = theirs ? reverseDirection(mediaDirection(theirs, remote)) : undefined;
      if (negotiated !== t.direction && answered !== t.direction) return true;
    } else {
      // Step 5.3.3: we answered; our answer's direction must be ours intersected with the offered one
      // (RFC 9429 §5.3.1: we send only if the offer receives, we receive only if the offer sends).
      const offered = theirs ? mediaDirection(theirs, remote) : 'sendrecv';
      if (negotiated !== answerDirection(offered, t.direction)) return true;
    }
  }
  return false;
}

function sectionFor(desc: SessionDescription | undefined, mid: string | null): SdpMedia | undefined {
  if (!desc || mid === null) return undefined;
  return desc.media.find((m) => mediaMid(m) === mid);
}

function msidMatches(m: SdpMedia, streamIds: readonly string[]): boolean {
  const lines = attributeValues(m, 'msid');
  if (lines.length !== 1) return false;
  const stream = (lines[0] as string).trim().split(/\s+/)[0];
  return stream === (streamIds[0] ?? '-');
}
