import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSrtpBackend, SrtpProtectContext, SrtpUnprotectContext } from '../src/index.js';
import { ALL_PROFILES, masterKeys, rtcp, rtp, toHex } from './helpers.js';

// The native addon is built by `npm ci` (packages/srtp/native/build.mjs). RTCWIRE_SRTP_NATIVE=0
// disables it, and then the node:crypto path is the only one.
const nativeExpected = process.env.RTCWIRE_SRTP_NATIVE !== '0';

describe('cipher backends', () => {
  it(`the default backend is ${nativeExpected ? 'native' : 'node-crypto'}`, () => {
    expect(defaultSrtpBackend()).toBe(nativeExpected ? 'native' : 'node-crypto');
  });

  describe.each(ALL_PROFILES)('%s', (profile) => {
    const { key, salt } = masterKeys(profile);

    it('native and node:crypto produce identical SRTP and SRTCP bytes and accept each other', () => {
      if (defaultSrtpBackend() !== 'native') {
        expect(() => new SrtpProtectContext(profile, key, salt, { backend: 'native' })).toThrow();
        return;
      }
      // SRTCP streams are shared across runs; SRTP senders are fresh per run because random
      // sequence numbers are not a real stream (they would move the ROC).
      const nativeRtcp = new SrtpProtectContext(profile, key, salt, { backend: 'native' });
      const jsRtcp = new SrtpProtectContext(profile, key, salt, { backend: 'node-crypto' });
      const nativeRx = new SrtpUnprotectContext(profile, key, salt, { backend: 'native' });
      const jsRx = new SrtpUnprotectContext(profile, key, salt, { backend: 'node-crypto' });
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 1300 }), (seq, payload) => {
          const p = rtp(seq, 42, payload);
          const a = new SrtpProtectContext(profile, key, salt, { backend: 'native' }).protect(p);
          const b = new SrtpProtectContext(profile, key, salt, { backend: 'node-crypto' }).protect(p);
          expect(toHex(a)).toBe(toHex(b));
          const c = nativeRtcp.protectRtcp(rtcp(42, payload.length >> 2));
          const d = jsRtcp.protectRtcp(rtcp(42, payload.length >> 2));
          expect(toHex(c)).toBe(toHex(d));
          const r1 = new SrtpUnprotectContext(profile, key, salt, { backend: 'native' }).unprotect(b);
          const r2 = new SrtpUnprotectContext(profile, key, salt, { backend: 'node-crypto' }).unprotect(a);
          expect(r1.ok && toHex(r1.packet)).toBe(toHex(p));
          expect(r2.ok && toHex(r2.packet)).toBe(toHex(p));
          expect(jsRx.unprotectRtcp(c).ok).toBe(true);
          expect(nativeRx.unprotectRtcp(d).ok).toBe(true);
        }),
        { numRuns: 50 },
      );
    });
  });
});
