import type { Direction, Extmap } from '@rtcwire/sdp';
import {
  type CodecCapability,
  DEFAULT_RTX_PAYLOAD_TYPES,
  type HeaderExtensionCapability,
  type MediaKind,
} from './capabilities.js';
import { type NegotiatedCodec, offerCodecs } from './codec-negotiation.js';
import type { LocalSender, SectionPlan } from './description.js';

/** One transceiver as the offerer sees it. */
export interface OfferSectionInput {
  mid: string;
  kind: MediaKind;
  direction: Direction;
  sender?: LocalSender;
  /** Codecs negotiated earlier for this mid (renegotiation keeps payload types stable). */
  negotiatedCodecs?: readonly NegotiatedCodec[];
  negotiatedExtensions?: readonly Extmap[];
  /** Restrict the offered codecs (setCodecPreferences), in this order. */
  codecPreferences?: readonly CodecCapability[];
  stopped?: boolean;
}

/**
 * Plan one section of an offer (RFC 9429 §5.2.1): all our codecs of the kind (or the preferences, or
 * what an earlier negotiation settled on), their RTX partners, our header extensions with our ids.
 */
export function offerSection(
  input: OfferSectionInput,
  codecs: readonly CodecCapability[],
  extensions: readonly HeaderExtensionCapability[],
): SectionPlan {
  if (input.stopped) {
    return {
      mid: input.mid,
      kind: input.kind,
      rejected: true,
      direction: 'inactive',
      codecs: offerCodecs(codecs.slice(0, 1), new Map()),
      extensions: [],
    };
  }
  const planCodecs = input.negotiatedCodecs ?? offerCodecs(input.codecPreferences ?? codecs, DEFAULT_RTX_PAYLOAD_TYPES);
  const planExtensions =
    input.negotiatedExtensions ??
    extensions.filter((e) => e.kind === input.kind).map((e) => ({ id: e.preferredId, uri: e.uri }));
  const plan: SectionPlan = {
    mid: input.mid,
    kind: input.kind,
    rejected: false,
    direction: input.direction,
    codecs: planCodecs,
    extensions: planExtensions,
  };
  if (input.sender && (input.direction === 'sendrecv' || input.direction === 'sendonly')) plan.sender = input.sender;
  return plan;
}
