import type { RandomSource } from '@rtcwire/common';
import { SendStream } from '@rtcwire/rtp-session';
import {
  isRejected,
  mediaCodecs,
  mediaDirection,
  mediaExtensions,
  mediaMid,
  mediaSsrcGroups,
  mediaSsrcs,
  type SdpMedia,
  type SessionDescription,
} from '@rtcwire/sdp';
import type { MediaKind } from '../jsep/capabilities.js';
import type { NegotiatedCodec } from '../jsep/codec-negotiation.js';
import { reverseDirection } from '../jsep/direction.js';
import { associateLine } from './mline-reuse.js';
import type { Transceiver } from './transceiver.js';

/** A new transceiver with fresh SSRCs (RFC 3550 §8: random) and sequence numbers. */
export function createTransceiver(
  id: number,
  kind: MediaKind,
  direction: Transceiver['direction'],
  random: RandomSource,
  cname: string,
  init: { streamIds?: readonly string[]; trackId?: string } = {},
): Transceiver {
  const ssrc = random.uint32() || 1;
  return {
    id,
    mid: null,
    kind,
    direction,
    currentDirection: null,
    stopped: false,
    sender: {
      ssrc,
      rtxSsrc: random.uint32() || 2,
      cname,
      streamIds: [...(init.streamIds ?? [])],
      trackId: init.trackId ?? `${kind}-${id}`,
      nextSequence: random.uint32() & 0x7fff,
      rtxSequence: random.uint32() & 0x7fff,
      stream: createSendStream(kind, ssrc),
    },
    receiver: { ssrcs: new Set(), streams: new Map(), rtxSsrcs: new Map() },
    codecs: [],
    extensions: [],
    mLineIndex: null,
    trackAnnounced: false,
  };
}

/**
 * The send side of a transceiver's SSRC. Only video keeps a packet history for NACK: browsers do not
 * negotiate NACK for audio. The RTX stream is attached once negotiated (`MediaEngine`).
 */
export function createSendStream(kind: MediaKind, ssrc: number): SendStream {
  return new SendStream({ ssrc, clockRate: kind === 'audio' ? 48000 : 90000, nack: kind === 'video' });
}

/**
 * RFC 9429 §5.10: associate each section of a remote offer with a transceiver — by mid, else the
 * first unassociated transceiver of the same kind, else a new `recvonly` one.
 */
export function associateRemoteOffer(
  offer: SessionDescription,
  transceivers: Transceiver[],
  create: (kind: MediaKind) => Transceiver,
): (Transceiver | undefined)[] {
  return offer.media.map((m, index) => {
    const mid = mediaMid(m);
    if (m.kind !== 'audio' && m.kind !== 'video') return undefined;
    let t = mid === undefined ? undefined : transceivers.find((x) => x.mid === mid);
    if (!t && !isRejected(m)) {
      t = transceivers.find((x) => x.mid === null && x.kind === m.kind && !x.stopped);
      if (!t) {
        t = create(m.kind);
        t.direction = 'recvonly';
      }
    }
    if (t) {
      t.mid = mid ?? String(index);
      // A new mid in a line we had: the remote recycled it (RFC 9429 §5.10); its old transceiver lets go.
      associateLine(transceivers, t, index);
    }
    return t;
  });
}

/** Remote SSRCs announced in a section (a=ssrc, a=ssrc-group:FID) become known receive streams. */
export function learnRemoteSsrcs(t: Transceiver, m: SdpMedia): void {
  const fid = mediaSsrcGroups(m).filter((g) => g.semantics === 'FID');
  const rtx = new Set(fid.map((g) => g.ssrcs[1]).filter((s): s is number => s !== undefined));
  for (const { ssrc } of mediaSsrcs(m)) if (!rtx.has(ssrc)) t.receiver.ssrcs.add(ssrc);
  for (const g of fid) {
    const [media, repair] = g.ssrcs;
    if (media !== undefined && repair !== undefined) t.receiver.rtxSsrcs.set(repair, media);
  }
}

/**
 * Settle a transceiver from an answer section (ours or theirs): codecs and extensions as answered,
 * currentDirection from our point of view (RFC 9429 §5.11).
 */
export function settleFromAnswer(
  t: Transceiver,
  answer: SdpMedia,
  answerIsLocal: boolean,
  session: SessionDescription,
): void {
  if (isRejected(answer)) {
    t.currentDirection = 'inactive';
    t.codecs = [];
    return;
  }
  const codecs: NegotiatedCodec[] = [];
  const all = mediaCodecs(answer);
  for (const c of all) {
    if (c.name.toLowerCase() === 'rtx') continue;
    const n: NegotiatedCodec = {
      payloadType: c.payloadType,
      name: c.name,
      clockRate: c.clockRate,
      parameters: c.parameters,
      feedback: c.feedback,
    };
    if (c.channels !== undefined) n.channels = c.channels;
    const rtx = all.find((x) => x.name.toLowerCase() === 'rtx' && x.parameters.get('apt') === String(c.payloadType));
    if (rtx) n.rtxPayloadType = rtx.payloadType;
    codecs.push(n);
  }
  t.codecs = codecs;
  t.extensions = mediaExtensions(answer).map((e) => ({ id: e.id, uri: e.uri }));
  const dir = mediaDirection(answer, session);
  t.currentDirection = answerIsLocal ? dir : reverseDirection(dir);
}
