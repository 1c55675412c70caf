/**
 * Unprotect results. Remote input never throws: a failure is one of these preallocated, frozen
 * objects (no Error allocation per bad packet) and is counted by the context's DropCounters.
 */
export type SrtpFailureReason =
  /** Shorter than the smallest valid packet of the profile. */
  | 'too_short'
  /** RTP/RTCP version field is not 2, or the header (CSRCs, extension) overruns the packet. */
  | 'bad_header'
  /** Authentication tag mismatch (HMAC-SHA1 or AES-GCM). */
  | 'auth_failed'
  /** Index already received (inside the replay window). */
  | 'replayed'
  /** Index left of the replay window, or before the stream start. */
  | 'too_old'
  /** New SSRC refused: `acceptSsrc` said no or `maxSsrcs` states already exist. */
  | 'unknown_ssrc';

export interface UnprotectSuccess {
  readonly ok: true;
  /** The plain RTP/RTCP packet (a new buffer; the input is not modified). */
  readonly packet: Uint8Array;
  readonly ssrc: number;
  /** SRTP: 48-bit packet index (ROC * 65536 + SEQ). SRTCP: 31-bit SRTCP index. */
  readonly index: number;
}

export interface UnprotectFailure {
  readonly ok: false;
  readonly reason: SrtpFailureReason;
}

export type UnprotectResult = UnprotectSuccess | UnprotectFailure;

function failure(reason: SrtpFailureReason): UnprotectFailure {
  return Object.freeze({ ok: false, reason });
}

export const FAILURES: Readonly<Record<SrtpFailureReason, UnprotectFailure>> = Object.freeze({
  too_short: failure('too_short'),
  bad_header: failure('bad_header'),
  auth_failed: failure('auth_failed'),
  replayed: failure('replayed'),
  too_old: failure('too_old'),
  unknown_ssrc: failure('unknown_ssrc'),
});
