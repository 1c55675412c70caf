import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SrtpProtectContext, SrtpUnprotectContext } from '../src/index.js';
import { BACKENDS } from './backends.js';
import { ALL_PROFILES, masterKeys, rtp, toHex } from './helpers.js';

const FAILURE_REASONS = new Set(['too_short', 'bad_header', 'auth_failed', 'replayed', 'too_old', 'unknown_ssrc']);
const cases = BACKENDS.flatMap((b) => ALL_PROFILES.map((p) => [p, b] as const));

const rtpArb = fc.record({
  seq: fc.integer({ min: 0, max: 0xffff }),
  ssrc: fc.integer({ min: 0, max: 0xffffffff }),
  payload: fc.uint8Array({ maxLength: 1300 }),
  csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 3 }),
  extension: fc.option(fc.uint8Array({ minLength: 1, maxLength: 12 }), { nil: undefined }),
});

describe.each(cases)('properties %s (%s)', (profile, backend) => {
  const { key, salt } = masterKeys(profile);

  it('unprotect(protect(p)) == p for random RTP', () => {
    fc.assert(
      fc.property(rtpArb, ({ seq, ssrc, payload, csrcs, extension }) => {
        const tx = new SrtpProtectContext(profile, key, salt, { backend });
        const rx = new SrtpUnprotectContext(profile, key, salt, { backend });
        const plain =
          extension === undefined ? rtp(seq, ssrc, payload, { csrcs }) : rtp(seq, ssrc, payload, { csrcs, extension });
        const r = rx.unprotect(tx.protect(plain));
        expect(r.ok && toHex(r.packet)).toBe(toHex(plain));
      }),
      { numRuns: 60 },
    );
  });

  it('unprotectRtcp(protectRtcp(p)) == p for random RTCP', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 400 }), (bytes) => {
        bytes[0] = 0x80 | ((bytes[0] ?? 0) & 0x3f);
        const tx = new SrtpProtectContext(profile, key, salt, { backend });
        const rx = new SrtpUnprotectContext(profile, key, salt, { backend });
        const r = rx.unprotectRtcp(tx.protectRtcp(bytes));
        expect(r.ok && toHex(r.packet)).toBe(toHex(bytes));
      }),
      { numRuns: 60 },
    );
  });

  it('random bytes give only typed failures, never a throw', () => {
    const rx = new SrtpUnprotectContext(profile, key, salt, { backend });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, version2) => {
        if (version2 && bytes.length > 0) bytes[0] = 0x80 | ((bytes[0] ?? 0) & 0x3f);
        for (const r of [rx.unprotect(bytes), rx.unprotectRtcp(bytes)]) {
          expect(r.ok).toBe(false);
          expect(!r.ok && FAILURE_REASONS.has(r.reason)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    expect(rx.drops.total).toBeGreaterThan(0);
  });

  it('any single flipped bit in a protected packet is rejected', () => {
    const tx = new SrtpProtectContext(profile, key, salt, { backend });
    const srtp = tx.protect(rtp(77, 1234, new Uint8Array(40).fill(9)));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: srtp.length * 8 - 1 }), (bit) => {
        const rx = new SrtpUnprotectContext(profile, key, salt, { backend });
        const bad = srtp.slice();
        bad[bit >>> 3] = (bad[bit >>> 3] ?? 0) ^ (1 << (bit & 7));
        expect(rx.unprotect(bad).ok).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
