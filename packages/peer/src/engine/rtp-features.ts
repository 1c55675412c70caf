import type { CodecCapability, HeaderExtensionCapability } from '../jsep/capabilities.js';
import { HDREXT } from '../jsep/capabilities.js';

/**
 * The media-quality mechanisms of `@rtcwire/rtp-session` the peer negotiates and runs. Each one is
 * switched off by not negotiating it, so the remote does not rely on it either.
 */
export interface RtpFeatures {
  /** Generic NACK (RFC 4585 §6.2.1) both ways, with RTX (RFC 4588) when negotiated. Default true. */
  nack?: boolean;
  /** Transport-wide congestion control feedback (transport-cc extension + RTCP feedback). Default true. */
  twcc?: boolean;
  /** REMB (draft-alvestrand-rmcat-remb) from a receive-side estimate, for peers without TWCC. Default false. */
  remb?: boolean;
  /** Pace sent media at 2.5 × the bandwidth estimate instead of sending each frame as one burst. Default false. */
  pacer?: boolean;
  /**
   * Hold packets after a gap for up to this many ms, so NACK repairs are delivered in sequence order
   * (0: deliver every packet on arrival). Default: for video streams that negotiated NACK, a wait that
   * follows the round-trip time (`nackRepairWaitMs`) — a frame assembler counting packets would give up
   * on one lost in a keyframe burst before its repair arrives — and none for others. In-order packets
   * are never held, nor is the start of a stream.
   */
  jitterBufferMs?: number;
}

export interface ResolvedRtpFeatures {
  nack: boolean;
  twcc: boolean;
  remb: boolean;
  pacer: boolean;
  /** Undefined: the default (a jitter buffer for NACKed video only). */
  jitterBufferMs: number | undefined;
}

/**
 * How long a NACKed video stream waits for a missing packet when no jitter buffer is configured: the
 * first NACK's reorder wait plus a round trip for the repair, and room for two retries (RFC 4585 §6.2.1
 * leaves timing to the receiver), clamped to 150–1000 ms; 100 ms RTT assumed until one is measured.
 */
export function nackRepairWaitMs(rttMs: number | undefined): number {
  return Math.min(1000, Math.max(150, 100 + 3 * (rttMs ?? 100)));
}

export function resolveRtpFeatures(f: RtpFeatures = {}): ResolvedRtpFeatures {
  return {
    nack: f.nack ?? true,
    twcc: f.twcc ?? true,
    remb: f.remb ?? false,
    pacer: f.pacer ?? false,
    jitterBufferMs: f.jitterBufferMs,
  };
}

/** Our codec capabilities with the rtcp-fb values of switched-off features removed. */
export function codecsWithFeatures(codecs: readonly CodecCapability[], f: ResolvedRtpFeatures): CodecCapability[] {
  return codecs.map((c) => ({
    ...c,
    feedback: c.feedback.filter(
      (fb) =>
        !(fb.type === 'nack' && fb.parameter === undefined && !f.nack) &&
        !(fb.type === 'transport-cc' && !f.twcc) &&
        !(fb.type === 'goog-remb' && !f.remb),
    ),
  }));
}

/** Our header extensions without transport-cc when TWCC is off (abs-send-time stays: REMB needs it). */
export function extensionsWithFeatures(
  extensions: readonly HeaderExtensionCapability[],
  f: ResolvedRtpFeatures,
): HeaderExtensionCapability[] {
  return extensions.filter((e) => f.twcc || e.uri !== HDREXT.transportCc);
}
