import { iceParameters, isRejected, mediaDirection, mediaMid, type SessionDescription, setupRole } from '@rtcwire/sdp';
import { type AnsweredSection, answerSection, type Capabilities } from '../jsep/answer.js';
import { DEFAULT_AUDIO_CODECS, DEFAULT_HEADER_EXTENSIONS, DEFAULT_VIDEO_CODECS } from '../jsep/capabilities.js';
import type { LocalSender, SectionPlan } from '../jsep/description.js';
import { offerSection } from '../jsep/offer.js';
import { learnRemoteSsrcs, settleFromAnswer } from './apply-description.js';
import { associateLine, keptSection, planOfferLayout } from './mline-reuse.js';
import { codecsWithFeatures, extensionsWithFeatures, type ResolvedRtpFeatures } from './rtp-features.js';
import type { Transceiver } from './transceiver.js';
import { transportSection } from './transport-change.js';
import type { PeerCoreOptions, PeerEvent } from './types.js';

/**
 * The section-by-section work of JSEP for `PeerConnectionCore`: planning the m= sections of our offer and
 * answer from the transceivers (RFC 9429 §5.2, §5.3) and applying the sections of a description to them
 * (§5.10, §5.11). Functions of their inputs; the core keeps the descriptions and the signaling state.
 */

/** The last completed offer/answer (JSEP's current local and remote descriptions). */
export interface Negotiated {
  readonly local: SessionDescription;
  readonly remote: SessionDescription;
}

/** The codecs and header extensions we offer and accept: the configured (or default) ones, with `features`. */
export function localCapabilities(options: PeerCoreOptions, features: ResolvedRtpFeatures): Capabilities {
  return {
    codecs: {
      audio: codecsWithFeatures(options.codecs?.audio ?? DEFAULT_AUDIO_CODECS, features),
      video: codecsWithFeatures(options.codecs?.video ?? DEFAULT_VIDEO_CODECS, features),
    },
    extensions: extensionsWithFeatures(options.headerExtensions ?? DEFAULT_HEADER_EXTENSIONS, features),
  };
}

/**
 * The number of the first mid from `from` on that the session has not used: RFC 9429 §5.2.2, a recycled line
 * gets a new mid, so skip every mid of the transceivers and of `descriptions`.
 */
export function firstUnusedMid(
  transceivers: readonly Transceiver[],
  descriptions: readonly (SessionDescription | undefined)[],
  from: number,
): number {
  const used = new Set<string | null>(transceivers.map((t) => t.mid));
  for (const d of descriptions) for (const m of d?.media ?? []) used.add(mediaMid(m) ?? null);
  let next = from;
  while (used.has(String(next))) next++;
  return next;
}

/** Our sender as a description announces it (a=ssrc, a=ssrc-group FID, a=msid). */
export function localSender(t: Transceiver, cname: string): LocalSender {
  return {
    ssrc: t.sender.ssrc,
    rtxSsrc: t.sender.rtxSsrc,
    cname,
    streamIds: t.sender.streamIds,
    trackId: t.sender.trackId,
  };
}

/** The sections of our offer; transceivers without a mid get one from `freshMid`. */
export function offerSections(
  transceivers: readonly Transceiver[],
  negotiated: Negotiated | undefined,
  caps: Capabilities,
  cname: string,
  freshMid: () => string,
): SectionPlan[] {
  // RFC 9429 §5.2.2: lines keep their index; a new transceiver recycles a rejected line or is appended.
  const slots = planOfferLayout(transceivers, negotiated?.local, negotiated?.remote);
  return slots.map((slot, i) => {
    if ('kept' in slot) return keptSection(slot.kept, i);
    const t = slot.transceiver;
    if (t.mid === null) t.mid = freshMid();
    return offerSection(
      {
        mid: t.mid,
        kind: t.kind,
        direction: t.direction,
        sender: localSender(t, cname),
        ...(t.codecs.length > 0 ? { negotiatedCodecs: t.codecs, negotiatedExtensions: t.extensions } : {}),
        stopped: t.stopped,
      },
      caps.codecs[t.kind],
      caps.extensions,
    );
  });
}

/** Our a=setup in an answer (RFC 5763 §5): the opposite of the offer's, or `preferred` for actpass. */
export function answerSetup(offer: SessionDescription, preferred: 'active' | 'passive'): 'active' | 'passive' {
  const offered = transportSection(offer);
  const remoteSetup = offered ? setupRole(offered, offer) : undefined;
  return remoteSetup === 'active' ? 'passive' : remoteSetup === 'passive' ? 'active' : preferred;
}

/** The sections of our answer to `offer`, one per offered m= line. */
export function answerSections(
  offer: SessionDescription,
  transceivers: readonly Transceiver[],
  caps: Capabilities,
  cname: string,
): AnsweredSection[] {
  return offer.media.map((m, i) => {
    const t = transceivers.find((x) => x.mLineIndex === i);
    return answerSection(
      {
        offered: m,
        transceiverDirection: t && !t.stopped ? t.direction : 'inactive',
        ...(t?.stopped ? { stopped: true } : {}),
        ...(t ? { sender: localSender(t, cname) } : {}),
      },
      offer,
      caps,
    );
  });
}

/**
 * A remote offer's sections (after `associateRemoteOffer`): learns the remote SSRCs and returns the
 * transceivers whose section the remote sends on.
 */
export function applyRemoteOffer(desc: SessionDescription, transceivers: readonly Transceiver[]): Transceiver[] {
  const remoteSends: Transceiver[] = [];
  desc.media.forEach((m, i) => {
    const t = transceivers.find((x) => x.mLineIndex === i);
    if (!t) return;
    learnRemoteSsrcs(t, m);
    const dir = mediaDirection(m, desc);
    if (!isRejected(m) && (dir === 'sendrecv' || dir === 'sendonly')) remoteSends.push(t);
  });
  return remoteSends;
}

/** Our answer's sections settle the transceivers on their lines. */
export function applyLocalAnswer(desc: SessionDescription, transceivers: readonly Transceiver[]): void {
  desc.media.forEach((m, i) => {
    const t = transceivers.find((x) => x.mLineIndex === i);
    if (t) settleFromAnswer(t, m, true, desc);
  });
}

/** The remote answer's sections settle the transceivers of our offer (matched by the mid of the line). */
export function applyRemoteAnswer(
  desc: SessionDescription,
  local: SessionDescription,
  transceivers: readonly Transceiver[],
): void {
  desc.media.forEach((m, i) => {
    const t = transceivers.find((x) => x.mid === (local.media[i] && m.attributes.find((a) => a.name === 'mid')?.value));
    if (!t) return;
    associateLine(transceivers, t, i);
    settleFromAnswer(t, m, false, desc);
    learnRemoteSsrcs(t, m);
  });
}

/** A remote offer restarts ICE when its ufrag differs from the one of the current remote description. */
export function remoteRestartsIce(previous: SessionDescription | undefined, ufrag: string): boolean {
  const section = previous && transportSection(previous);
  const before = previous && section ? iceParameters(section, previous)?.usernameFragment : undefined;
  return before !== undefined && before !== ufrag;
}

/**
 * W3C `track` events for the transceivers that now receive (once each): those in `remoteSends` (a remote offer
 * sends on their section), or else those whose negotiated direction receives.
 */
export function announceTracks(
  transceivers: readonly Transceiver[],
  events: PeerEvent[],
  remoteSends?: readonly Transceiver[],
): void {
  for (const t of transceivers) {
    const dir = t.currentDirection;
    const sends = remoteSends ? remoteSends.includes(t) : dir === 'recvonly' || dir === 'sendrecv';
    if (t.trackAnnounced || !t.mid || !sends) continue;
    t.trackAnnounced = true;
    events.push({ type: 'track', transceiverId: t.id, mid: t.mid, kind: t.kind });
  }
}
