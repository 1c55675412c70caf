import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertDescription } from '../../src/alert.js';
import {
  createFingerprintVerifier,
  createPkiVerifier,
  generateCertificate,
  validateChain,
} from '../../src/certificate/index.js';

describe('verifiers never throw on remote input', async () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const root = await generateCertificate({ now, commonName: 'root' });
  const der = root.certificateChain[0] as Uint8Array;
  const pki = createPkiVerifier({ trusted: [der], purpose: 'serverAuth', now });
  const pinned = createFingerprintVerifier({ fingerprints: [root.fingerprint()] });

  const chains = fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // a real certificate with one byte flipped or truncated
      fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const copy = der.slice();
        copy[i] = (copy[i] as number) ^ x;
        return copy;
      }),
      fc.nat(der.length - 1).map((n) => der.slice(0, n)),
    ),
    { maxLength: 4 },
  );

  it('property: random or corrupted chains give ok:false with a certificate alert, never an exception', () => {
    const allowed = new Set<number>([
      AlertDescription.bad_certificate,
      AlertDescription.unknown_ca,
      AlertDescription.unsupported_certificate,
      AlertDescription.certificate_expired,
    ]);
    fc.assert(
      fc.property(chains, (chain) => {
        for (const verify of [pki, pinned]) {
          const result = verify(chain);
          if (!result.ok) expect(allowed.has(result.alert)).toBe(true);
        }
        expect(() => validateChain(chain, { trusted: [], now, purpose: 'clientAuth' })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('the untouched certificate is accepted by both (it is its own trust anchor / pinned)', () => {
    expect(pki([der]).ok).toBe(true);
    expect(pinned([der]).ok).toBe(true);
  });
});
