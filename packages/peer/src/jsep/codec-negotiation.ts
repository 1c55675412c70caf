import type { SdpCodec } from '@rtcwire/sdp';
import type { CodecCapability, RtcpFeedbackSpec } from './capabilities.js';
import { parseProfileLevelId } from './h264-profile.js';

/** A codec both sides agreed on, with the offerer's payload type and (optionally) its RTX partner. */
export interface NegotiatedCodec {
  payloadType: number;
  name: string;
  clockRate: number;
  channels?: number;
  parameters: Map<string, string>;
  feedback: RtcpFeedbackSpec[];
  rtxPayloadType?: number;
}

/**
 * Does a remote codec match one of ours (RFC 9429 §5.3.1 + per-codec fmtp rules)?
 * - names case-insensitively, clock rates and (audio) channel counts equal;
 * - H.264: same profile and packetization-mode (RFC 6184 §8.2.2; level may differ);
 * - VP9: same profile-id (default 0); AV1: same profile (default 0).
 */
export function codecMatches(local: CodecCapability, remote: SdpCodec): boolean {
  if (local.name.toLowerCase() !== remote.name.toLowerCase() || local.clockRate !== remote.clockRate) return false;
  if (local.kind === 'audio' && (local.channels ?? 1) !== (remote.channels ?? 1)) return false;
  switch (local.name.toUpperCase()) {
    case 'H264': {
      const mode = (c: ReadonlyMap<string, string>): string => c.get('packetization-mode') ?? '0';
      if (mode(local.parameters) !== mode(remote.parameters)) return false;
      const a = parseProfileLevelId(local.parameters.get('profile-level-id'));
      const b = parseProfileLevelId(remote.parameters.get('profile-level-id'));
      return a !== undefined && b !== undefined && a.profile === b.profile;
    }
    case 'VP9':
      return (local.parameters.get('profile-id') ?? '0') === (remote.parameters.get('profile-id') ?? '0');
    case 'AV1':
      return (local.parameters.get('profile') ?? '0') === (remote.parameters.get('profile') ?? '0');
    default:
      return true;
  }
}

/** Feedback both sides listed (RFC 4585 §4.2: the answer may only keep what the offer had). */
function commonFeedback(local: readonly RtcpFeedbackSpec[], remote: readonly RtcpFeedbackSpec[]): RtcpFeedbackSpec[] {
  return remote.filter((r) => local.some((l) => l.type === r.type && l.parameter === r.parameter));
}

/**
 * Intersect the codecs of a remote section with ours, in the remote's order, keeping the remote's
 * payload types (RFC 9429 §5.3.1). RTX is kept only for a kept codec it points to with `apt`.
 * The result carries the remote's fmtp for each kept codec (so an H.264 answer repeats the offered
 * profile-level-id and packetization-mode), and each codec matches at most once.
 */
export function negotiateCodecs(remote: readonly SdpCodec[], local: readonly CodecCapability[]): NegotiatedCodec[] {
  const out: NegotiatedCodec[] = [];
  const used = new Set<CodecCapability>();
  for (const r of remote) {
    if (r.name.toLowerCase() === 'rtx') continue;
    const mine = local.find((l) => !used.has(l) && codecMatches(l, r));
    if (!mine) continue;
    used.add(mine);
    const codec: NegotiatedCodec = {
      payloadType: r.payloadType,
      name: r.name,
      clockRate: r.clockRate,
      parameters: new Map(r.parameters),
      feedback: commonFeedback(mine.feedback, r.feedback),
    };
    if (r.channels !== undefined) codec.channels = r.channels;
    const rtx = remote.find(
      (x) =>
        x.name.toLowerCase() === 'rtx' &&
        x.clockRate === r.clockRate &&
        x.parameters.get('apt') === String(r.payloadType),
    );
    if (rtx && mine.kind === 'video') codec.rtxPayloadType = rtx.payloadType;
    out.push(codec);
  }
  return out;
}

/** Our codecs as a fresh offer: preferred payload types, RTX partners from `rtxPayloadTypes`. */
export function offerCodecs(
  local: readonly CodecCapability[],
  rtxPayloadTypes: ReadonlyMap<number, number>,
): NegotiatedCodec[] {
  return local.map((l) => {
    const c: NegotiatedCodec = {
      payloadType: l.preferredPayloadType,
      name: l.name,
      clockRate: l.clockRate,
      parameters: new Map(l.parameters),
      feedback: [...l.feedback],
    };
    if (l.channels !== undefined) c.channels = l.channels;
    const rtx = rtxPayloadTypes.get(l.preferredPayloadType);
    if (rtx !== undefined && l.kind === 'video') c.rtxPayloadType = rtx;
    return c;
  });
}
