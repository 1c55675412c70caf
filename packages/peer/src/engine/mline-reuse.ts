import { isRejected, mediaMid, type SdpMedia, type SessionDescription } from '@rtcwire/sdp';
import type { SectionPlan } from '../jsep/description.js';
import type { Transceiver } from './transceiver.js';

/**
 * m= line bookkeeping across renegotiations (RFC 9429 §5.2.2, §5.3.2, §5.10; W3C webrtc-pc §4.4.1.6):
 * m= lines are never removed; a rejected one may be recycled by a new transceiver (fresh mid, same index);
 * a stopped transceiver leaves the set of transceivers once the rejection of its m= line is negotiated.
 */

/** One m= line of the next offer: a transceiver's section, or a line kept (rejected) from the last negotiation. */
export type OfferSlot = { transceiver: Transceiver } | { kept: SdpMedia };

/**
 * The m= line layout of a new offer. Lines of the last negotiated descriptions keep their index; a transceiver
 * not yet associated with a line takes the lowest line that is rejected (port 0) in the current local or remote
 * description and no live transceiver holds — RFC 9429 §5.2.2: "that m= section MUST be recycled … placing it at
 * the same index" — else it is appended. A stopped transceiver that never had a line is not offered at all.
 */
export function planOfferLayout(
  transceivers: readonly Transceiver[],
  currentLocal: SessionDescription | undefined,
  currentRemote: SessionDescription | undefined,
): OfferSlot[] {
  const slots: (OfferSlot | undefined)[] = [];
  for (const t of transceivers) if (t.mLineIndex !== null) slots[t.mLineIndex] = { transceiver: t };
  const lines = currentLocal?.media ?? [];
  lines.forEach((m, i) => {
    if (slots[i] === undefined) slots[i] = { kept: m };
  });
  const recyclable: number[] = [];
  lines.forEach((m, i) => {
    const slot = slots[i];
    const holder = slot && 'transceiver' in slot ? slot.transceiver : undefined;
    const rejected = isRejected(m) || (currentRemote?.media[i] !== undefined && isRejected(currentRemote.media[i]));
    if (rejected && (!holder || holder.stopped)) recyclable.push(i);
  });
  for (const t of transceivers) {
    if (t.mLineIndex !== null || t.stopped) continue;
    const index = recyclable.shift();
    if (index === undefined) slots.push({ transceiver: t });
    else slots[index] = { transceiver: t };
  }
  return slots.filter((s): s is OfferSlot => s !== undefined);
}

/** A rejected section repeating a line we keep but no longer use (RFC 9429 §5.2.2: port 0, same mid and kind). */
export function keptSection(m: SdpMedia, index: number): SectionPlan {
  return {
    mid: mediaMid(m) ?? String(index),
    kind: m.kind,
    rejected: true,
    direction: 'inactive',
    codecs: [],
    extensions: [],
    protocol: m.protocol,
    formats: m.formats,
  };
}

/**
 * Associate `t` with m= line `index`, dissociating whichever transceiver held it before (the stopped owner of
 * a recycled line, RFC 9429 §5.10).
 */
export function associateLine(transceivers: readonly Transceiver[], t: Transceiver, index: number): void {
  for (const other of transceivers) if (other !== t && other.mLineIndex === index) other.mLineIndex = null;
  t.mLineIndex = index;
}

/** Associate transceivers with the lines of a description by mid (after setLocalDescription(offer)). */
export function associateByMid(desc: SessionDescription, transceivers: readonly Transceiver[]): void {
  desc.media.forEach((m, i) => {
    const mid = mediaMid(m);
    const t = mid === undefined ? undefined : transceivers.find((x) => x.mid === mid);
    if (t) associateLine(transceivers, t, i);
  });
}

/**
 * After an answer is applied (either side): a line the answer rejects stops its transceiver (W3C webrtc-pc
 * §4.4.1.6 "stop the RTCRtpTransceiver"), and a stopped transceiver whose rejection is now negotiated — or that
 * was never negotiated — is removed from the set of transceivers (its object lives on, stopped).
 */
export function settleStopped(
  answer: SessionDescription,
  transceivers: readonly Transceiver[],
  removed: Set<number>,
): void {
  for (const t of transceivers) {
    if (removed.has(t.id)) continue;
    const line = t.mLineIndex === null ? undefined : answer.media[t.mLineIndex];
    if (line && isRejected(line)) {
      t.stopped = true;
      t.direction = 'inactive';
    }
    if (t.stopped && (line === undefined || isRejected(line))) removed.add(t.id);
  }
}
