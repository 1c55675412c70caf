import { describe, expect, it } from 'vitest';
import {
  compactNtpToMs,
  msToCompactNtp,
  ntpFromUnixMs,
  ntpMiddle32,
  ntpToUnixMs,
  roundTripTimeMs,
} from '../src/index.js';

describe('NTP helpers', () => {
  it('converts Unix ms to 64-bit NTP (RFC 5905: 2 208 988 800 s between the epochs)', () => {
    expect(ntpFromUnixMs(0)).toBe(2_208_988_800n << 32n);
    // 500 ms = 0x80000000 fraction
    expect(ntpFromUnixMs(1500)).toBe((2_208_988_801n << 32n) | 0x80000000n);
    expect(ntpToUnixMs(ntpFromUnixMs(1_700_000_000_123))).toBeCloseTo(1_700_000_000_123, 3);
  });

  it('takes the middle 32 bits for LSR (RFC 3550 §6.4.1)', () => {
    expect(ntpMiddle32(0x1122334455667788n)).toBe(0x33445566);
  });

  it('converts compact NTP durations', () => {
    expect(msToCompactNtp(1000)).toBe(65536);
    expect(compactNtpToMs(32768)).toBe(500);
    expect(msToCompactNtp(-5)).toBe(0);
    expect(msToCompactNtp(1e12)).toBe(0xffffffff);
  });

  it('computes RTT from LSR/DLSR (RFC 3550 §6.4.1 example)', () => {
    // Example from the RFC figure: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
    // DLSR = 0x0005:4000 (5.250 s) -> RTT 6.125 s.
    expect(roundTripTimeMs(0xb7108000, 0xb7052000, 0x00054000)).toBe(6125);
    expect(roundTripTimeMs(0xb7108000, 0, 0)).toBeUndefined();
    expect(roundTripTimeMs(0x00010000, 0x00020000, 0)).toBe(0);
  });
});
