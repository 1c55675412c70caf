import { ParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeFingerprint,
  type FingerprintAlgorithm,
  fingerprintMatches,
  fingerprintOf,
  formatFingerprint,
  parseFingerprint,
} from '../../src/certificate/index.js';

const abc = new TextEncoder().encode('abc');

describe('fingerprints (RFC 8122 §5 form)', () => {
  it('formats the FIPS 180-2 "abc" digests as uppercase colon-separated hex', () => {
    expect(fingerprintOf(abc, 'sha-256')).toBe(
      'sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD',
    );
    expect(fingerprintOf(abc, 'sha-384').startsWith('sha-384 CB:00:75:3F:45:A3:5E:8B:B5:A0:3D:69:9A:C6:50:07')).toBe(
      true,
    );
    expect(fingerprintOf(abc, 'sha-512').startsWith('sha-512 DD:AF:35:A1:93:61:7A:BA:CC:41:73:49:AE:20:41:31')).toBe(
      true,
    );
    expect(computeFingerprint(abc, 'sha-512').value.byteLength).toBe(64);
  });

  it('parses case-insensitively and with surrounding whitespace', () => {
    const text = fingerprintOf(abc, 'sha-256');
    const parsed = parseFingerprint(`  SHA-256 ${text.slice(8).toLowerCase()} `);
    expect(parsed.algorithm).toBe('sha-256');
    expect(formatFingerprint(parsed)).toBe(text);
    expect(fingerprintMatches(abc, parsed)).toBe(true);
    expect(fingerprintMatches(new TextEncoder().encode('abd'), parsed)).toBe(false);
  });

  it('rejects malformed fingerprints with ParseError codes', () => {
    const good = fingerprintOf(abc).slice(8);
    const cases: [string, string][] = [
      ['', 'fingerprint_syntax'],
      [good, 'fingerprint_syntax'],
      [`sha-1 ${good}`, 'fingerprint_hash'],
      [`md5 ${good}`, 'fingerprint_hash'],
      [`sha-256 ${good.slice(3)}`, 'fingerprint_length'],
      [`sha-384 ${good}`, 'fingerprint_length'],
      [`sha-256 ${good.replace('BA', 'XZ')}`, 'fingerprint_hex'],
      [`sha-256 ${good.replace('BA', 'B')}`, 'fingerprint_hex'],
    ];
    for (const [text, code] of cases) {
      expect(() => parseFingerprint(text), text).toThrowError(ParseError);
      try {
        parseFingerprint(text);
      } catch (err) {
        expect((err as ParseError).code).toBe(code);
      }
    }
  });

  it('property: parse(format(x)) == x for every algorithm', () => {
    const lengths: Record<FingerprintAlgorithm, number> = { 'sha-256': 32, 'sha-384': 48, 'sha-512': 64 };
    const arb = fc
      .constantFrom<FingerprintAlgorithm>('sha-256', 'sha-384', 'sha-512')
      .chain((algorithm) =>
        fc
          .uint8Array({ minLength: lengths[algorithm], maxLength: lengths[algorithm] })
          .map((value) => ({ algorithm, value })),
      );
    fc.assert(
      fc.property(arb, (fp) => {
        const back = parseFingerprint(formatFingerprint(fp));
        expect(back.algorithm).toBe(fp.algorithm);
        expect(Array.from(back.value)).toEqual(Array.from(fp.value));
      }),
    );
  });

  it('property: arbitrary text either parses or throws ParseError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `sha-256 ${s}`),
        ),
        (text) => {
          try {
            parseFingerprint(text);
          } catch (err) {
            expect(err).toBeInstanceOf(ParseError);
          }
        },
      ),
    );
  });
});
