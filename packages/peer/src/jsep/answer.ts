import {
  bundleMids,
  type Direction,
  type Extmap,
  isRejected,
  mediaCodecs,
  mediaDirection,
  mediaExtensions,
  mediaMid,
  type SdpMedia,
  type SessionDescription,
} from '@rtcwire/sdp';
import type { CodecCapability, HeaderExtensionCapability, MediaKind } from './capabilities.js';
import { type NegotiatedCodec, negotiateCodecs } from './codec-negotiation.js';
import type { LocalSender, SectionPlan } from './description.js';
import { answerDirection } from './direction.js';

/** What the answerer brings to one offered section. */
export interface AnswerSectionInput {
  offered: SdpMedia;
  /** The direction of our transceiver for this section (sendrecv if we would send and receive). */
  transceiverDirection: Direction;
  sender?: LocalSender;
  /** Our transceiver for this section is stopped: the answer rejects it (RFC 9429 §5.3.1, §4.2.2). */
  stopped?: boolean;
}

export interface Capabilities {
  codecs: Readonly<Record<MediaKind, readonly CodecCapability[]>>;
  extensions: readonly HeaderExtensionCapability[];
}

/** Why a section was rejected, for logs and errors. */
export type RejectReason =
  | 'unsupported-kind'
  | 'unsupported-protocol'
  | 'no-common-codec'
  | 'rejected-by-offerer'
  | 'stopped'
  | 'not-bundled';

export interface AnsweredSection extends SectionPlan {
  rejectReason?: RejectReason;
  /** The offerer's direction (what it said it does). */
  remoteDirection: Direction;
}

/**
 * Negotiate one offered m= section (RFC 9429 §5.3.1): codecs and RTX by intersection in the
 * offerer's order with its payload types, header extensions by URI with the offerer's ids, direction
 * by reversing the offer and limiting it by ours. Sections we cannot take are rejected, not dropped.
 */
export function answerSection(
  input: AnswerSectionInput,
  offer: SessionDescription,
  caps: Capabilities,
): AnsweredSection {
  const { offered } = input;
  const mid = mediaMid(offered) ?? '';
  const remoteDirection = mediaDirection(offered, offer);
  const reject = (reason: RejectReason): AnsweredSection => ({
    mid,
    kind: offered.kind,
    rejected: true,
    rejectReason: reason,
    direction: 'inactive',
    remoteDirection,
    codecs: [],
    extensions: [],
    protocol: offered.protocol,
    formats: offered.formats,
  });
  if (isRejected(offered)) return reject('rejected-by-offerer');
  if (input.stopped) return reject('stopped');
  if (offered.kind !== 'audio' && offered.kind !== 'video') return reject('unsupported-kind');
  if (!/\bRTP\/S?AVPF?\b/.test(offered.protocol) || !offered.protocol.includes('SAVP'))
    return reject('unsupported-protocol');
  const bundle = bundleMids(offer);
  if (bundle && !bundle.includes(mid)) return reject('not-bundled');
  const kind: MediaKind = offered.kind;
  const codecs: NegotiatedCodec[] = negotiateCodecs(mediaCodecs(offered), caps.codecs[kind]);
  if (codecs.length === 0) return reject('no-common-codec');
  const extensions: Extmap[] = mediaExtensions(offered)
    .filter((e) => caps.extensions.some((c) => c.kind === kind && c.uri === e.uri))
    .map((e) => ({ id: e.id, uri: e.uri }));
  const direction = answerDirection(remoteDirection, input.transceiverDirection);
  const plan: AnsweredSection = { mid, kind, rejected: false, direction, remoteDirection, codecs, extensions };
  if (input.sender && (direction === 'sendrecv' || direction === 'sendonly')) plan.sender = input.sender;
  return plan;
}
