/**
 * Receiving direction: SRTP → RTP and SRTCP → RTCP for every SSRC of one remote master key.
 * Never throws for remote input: each failure returns a preallocated `UnprotectFailure` and is
 * counted in `drops` by reason. State (ROC, replay window) changes only after authentication.
 */
import { DropCounters } from '@rtcwire/common';
import { allocBytes, SrtpContextBase, type SrtpContextOptions, readU32, rtpHeaderLength } from './context-base.js';
import type { SrtpProfileInfo, SrtpProfileName } from './profiles.js';
import { estimateIndex, ReplayWindow } from './replay-window.js';
import { FAILURES, type SrtpFailureReason, type UnprotectResult } from './result.js';

/** Counter names ('srtp:auth_failed', …), built once so a drop allocates nothing. */
const COUNTER_NAMES = {
  'srtp:': counterNames('srtp:'),
  'srtcp:': counterNames('srtcp:'),
};

function counterNames(prefix: string): Record<SrtpFailureReason, string> {
  const reasons = Object.keys(FAILURES) as SrtpFailureReason[];
  return Object.fromEntries(reasons.map((r) => [r, prefix + r])) as Record<SrtpFailureReason, string>;
}

export interface SrtpUnprotectOptions extends SrtpContextOptions {
  /** SRTP replay window in packets (multiple of 32), default 64; e.g. 512 for video. */
  readonly replayWindowSize?: number;
  /** SRTCP replay window, default 64. */
  readonly rtcpReplayWindowSize?: number;
  /** Upper bound on remote SSRC states per direction (SRTP and SRTCP each), default 1024. */
  readonly maxSsrcs?: number;
  /** Called for an SSRC not seen before; returning false drops it as 'unknown_ssrc'. */
  readonly acceptSsrc?: (ssrc: number) => boolean;
}

export class SrtpUnprotectContext extends SrtpContextBase {
  /** Dropped packets by failure reason ('srtp:auth_failed', 'srtcp:replayed', …). */
  readonly drops = new DropCounters();
  private readonly rtpWindows = new Map<number, ReplayWindow>();
  private readonly rtcpWindows = new Map<number, ReplayWindow>();
  private readonly windowSize: number;
  private readonly rtcpWindowSize: number;
  private readonly maxSsrcs: number;
  private readonly acceptSsrc: ((ssrc: number) => boolean) | undefined;

  constructor(
    profile: SrtpProfileName | SrtpProfileInfo,
    masterKey: Uint8Array,
    masterSalt: Uint8Array,
    options: SrtpUnprotectOptions = {},
  ) {
    super(profile, masterKey, masterSalt, options);
    this.windowSize = options.replayWindowSize ?? 64;
    this.rtcpWindowSize = options.rtcpReplayWindowSize ?? 64;
    new ReplayWindow(this.windowSize); // validate sizes eagerly (local misuse throws)
    new ReplayWindow(this.rtcpWindowSize);
    this.maxSsrcs = options.maxSsrcs ?? 1024;
    this.acceptSsrc = options.acceptSsrc;
  }

  /** Current ROC estimate for `ssrc`, undefined before its first authentic packet. */
  rolloverCounter(ssrc: number): number | undefined {
    const w = this.rtpWindows.get(ssrc);
    return w === undefined ? undefined : Math.floor(w.highestIndex / 0x10000);
  }

  /** RFC 3711 §3.3 receiver processing; RFC 7714 §8 for AEAD profiles. */
  unprotect(srtp: Uint8Array): UnprotectResult {
    const len = srtp.length;
    const tag = this.profile.srtpTagLength;
    if (len < 12 + tag) return this.fail('srtp:', 'too_short');
    const end = len - tag;
    const hdr = rtpHeaderLength(srtp, end);
    if (hdr < 0) return this.fail('srtp:', 'bad_header');
    const ssrc = readU32(srtp, 8);
    const seq = ((srtp[2] ?? 0) << 8) | (srtp[3] ?? 0);
    const window = this.rtpWindows.get(ssrc);
    if (window === undefined && !this.admit(this.rtpWindows, ssrc)) return this.fail('srtp:', 'unknown_ssrc');
    const index = estimateIndex(window === undefined ? -1 : window.highestIndex, seq, this.initialRoc);
    if (index < 0) return this.fail('srtp:', 'too_old');
    if (window !== undefined) {
      const c = window.check(index);
      if (c !== 'ok') return this.fail('srtp:', c);
    }
    const roc = Math.floor(index / 0x10000);
    const out = allocBytes(end);
    const ok =
      this.rtp.cm !== undefined
        ? this.rtp.cm.unprotect(srtp, out, hdr, end, end, tag, ssrc, roc, seq)
        : this.rtp.gcm!.open(srtp, out, hdr, end, ssrc, roc, seq);
    if (!ok) return this.fail('srtp:', 'auth_failed');
    this.windowFor(this.rtpWindows, ssrc, window, this.windowSize).accept(index);
    return { ok: true, packet: out, ssrc, index };
  }

  /** RFC 3711 §3.4 receiver processing; RFC 7714 §9 for AEAD profiles. */
  unprotectRtcp(srtcp: Uint8Array): UnprotectResult {
    const len = srtcp.length;
    const tag = this.profile.srtcpTagLength;
    if (len < 8 + 4 + tag) return this.fail('srtcp:', 'too_short');
    if ((srtcp[0] ?? 0) >>> 6 !== 2) return this.fail('srtcp:', 'bad_header');
    const ssrc = readU32(srtcp, 4);
    const cm = this.rtcp.cm;
    // AES-CM: … | E|index | tag. AEAD (RFC 7714 §9.1): … | tag | E|index.
    const wordAt = cm !== undefined ? len - tag - 4 : len - 4;
    const word = readU32(srtcp, wordAt);
    const encrypted = word >>> 31 === 1;
    const index = word & 0x7fffffff;
    const window = this.rtcpWindows.get(ssrc);
    if (window === undefined && !this.admit(this.rtcpWindows, ssrc)) return this.fail('srtcp:', 'unknown_ssrc');
    if (window !== undefined) {
      const c = window.check(index);
      if (c !== 'ok') return this.fail('srtcp:', c);
    }
    let out: Uint8Array;
    let ok: boolean;
    if (cm !== undefined) {
      out = allocBytes(wordAt);
      // E = 0: authenticated only, nothing to decrypt.
      ok = cm.unprotect(srtcp, out, encrypted ? 8 : wordAt, wordAt, len - tag, tag, ssrc, -1, index);
    } else {
      const bodyEnd = len - 4 - 16;
      out = allocBytes(bodyEnd);
      // RFC 7714 §9.2: when E = 0 the whole packet is AAD and nothing is encrypted.
      ok = this.rtcp.gcm!.open(srtcp, out, encrypted ? 8 : bodyEnd, bodyEnd, ssrc, -1, word);
    }
    if (!ok) return this.fail('srtcp:', 'auth_failed');
    this.windowFor(this.rtcpWindows, ssrc, window, this.rtcpWindowSize).accept(index);
    return { ok: true, packet: out, ssrc, index };
  }

  private admit(map: Map<number, ReplayWindow>, ssrc: number): boolean {
    if (map.size >= this.maxSsrcs) return false;
    return this.acceptSsrc === undefined || this.acceptSsrc(ssrc);
  }

  private windowFor(
    map: Map<number, ReplayWindow>,
    ssrc: number,
    existing: ReplayWindow | undefined,
    size: number,
  ): ReplayWindow {
    if (existing !== undefined) return existing;
    const w = new ReplayWindow(size);
    map.set(ssrc, w);
    return w;
  }

  private fail(prefix: 'srtp:' | 'srtcp:', reason: SrtpFailureReason): UnprotectResult {
    this.drops.add(COUNTER_NAMES[prefix][reason]);
    return FAILURES[reason];
  }
}
