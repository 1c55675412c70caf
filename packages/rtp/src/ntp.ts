/**
 * NTP timestamp helpers (RFC 3550 §4, RFC 5905 §6). A full NTP timestamp is a 64-bit unsigned
 * fixed-point number: seconds since 1900-01-01 in the upper 32 bits, fraction in the lower 32.
 * RTCP's LSR/DLSR/LRR fields carry the "middle 32 bits" (16.16 fixed point, "compact NTP").
 * These are pure conversions: the caller supplies the wall-clock time.
 */
import { NTP_UNIX_OFFSET_S } from '@rtcwire/common';

const TWO_32 = 2 ** 32;

/** 64-bit NTP timestamp for a Unix time in milliseconds (rounded to the nearest fraction unit). */
export function ntpFromUnixMs(unixMs: number): bigint {
  const totalMs = unixMs + NTP_UNIX_OFFSET_S * 1000;
  const seconds = Math.floor(totalMs / 1000);
  let fraction = Math.round(((totalMs - seconds * 1000) / 1000) * TWO_32);
  let s = seconds;
  if (fraction >= TWO_32) {
    fraction -= TWO_32;
    s += 1;
  }
  return (BigInt(s >>> 0) << 32n) | BigInt(fraction);
}

/** Unix time in milliseconds for a 64-bit NTP timestamp (era 0, i.e. before 2036). */
export function ntpToUnixMs(ntp: bigint): number {
  const seconds = Number(ntp >> 32n);
  const fraction = Number(ntp & 0xffffffffn);
  return (seconds - NTP_UNIX_OFFSET_S) * 1000 + (fraction / TWO_32) * 1000;
}

/** The middle 32 bits of a 64-bit NTP timestamp (RFC 3550 §6.4.1 LSR). */
export function ntpMiddle32(ntp: bigint): number {
  return Number((ntp >> 16n) & 0xffffffffn);
}

/** A duration in compact NTP units (1/65536 s), e.g. DLSR (RFC 3550 §6.4.1); clamped to 32 bits. */
export function msToCompactNtp(ms: number): number {
  const v = Math.round((ms * 65536) / 1000);
  return Math.min(Math.max(v, 0), 0xffffffff);
}

/** Milliseconds for a compact NTP duration (1/65536 s units). */
export function compactNtpToMs(compact: number): number {
  return ((compact >>> 0) * 1000) / 65536;
}

/**
 * Round-trip time from a report block (RFC 3550 §6.4.1): arrival time of the report (compact
 * NTP) minus LSR minus DLSR, in milliseconds; undefined when no SR was received (LSR = 0).
 */
export function roundTripTimeMs(
  arrivalCompactNtp: number,
  lastSr: number,
  delaySinceLastSr: number,
): number | undefined {
  if (lastSr === 0) return undefined;
  const rtt = (arrivalCompactNtp - lastSr - delaySinceLastSr) >>> 0;
  // A negative difference (clock skew) wraps to a huge value; treat anything above 2^31 as 0.
  return rtt >= 0x80000000 ? 0 : compactNtpToMs(rtt);
}
