import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { seededRandom } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { type CertificateKeyType, generateCertificate, parseFingerprint } from '../../src/certificate/index.js';

const now = new Date('2026-01-15T12:00:00Z');

describe('generateCertificate', () => {
  it.each<[CertificateKeyType, string, string]>([
    ['ecdsa-p256', 'ec', 'prime256v1'],
    ['ecdsa-p384', 'ec', 'secp384r1'],
    ['rsa-2048', 'rsa', ''],
  ])('%s: self-signed, key matches, openssl agrees on the fingerprint', async (keyType, asymmetric, curve) => {
    const generated = await generateCertificate({ now, keyType, commonName: 'rtcwire-test', validityDays: 10 });
    const der = generated.certificateChain[0] as Uint8Array;
    const cert = new X509Certificate(der);
    expect(cert.subject).toBe('CN=rtcwire-test');
    expect(cert.issuer).toBe('CN=rtcwire-test');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(generated.privateKey)).toBe(true);
    expect(generated.privateKey.asymmetricKeyType).toBe(asymmetric);
    if (curve) expect(generated.privateKey.asymmetricKeyDetails?.namedCurve).toBe(curve);
    else expect(generated.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // validity: one day back for clock skew, validityDays forward
    expect(new Date(cert.validFrom).getTime()).toBe(now.getTime() - 86_400_000);
    expect(new Date(cert.validTo).getTime()).toBe(now.getTime() + 10 * 86_400_000);
    // Cross-check our fingerprint with `openssl x509 -fingerprint`.
    const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], {
      input: generated.certificatePem,
    }).toString();
    const opensslHex = out.trim().split('=')[1];
    expect(generated.fingerprint('sha-256')).toBe(`sha-256 ${opensslHex}`);
    expect(parseFingerprint(generated.fingerprint('sha-512')).algorithm).toBe('sha-512');
    expect(generated.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('uses a positive 16-octet serial from the injected random source', async () => {
    const a = await generateCertificate({ now, random: seededRandom(7), commonName: 'a' });
    const b = await generateCertificate({ now, random: seededRandom(7), commonName: 'a' });
    const c = await generateCertificate({ now, random: seededRandom(8), commonName: 'a' });
    const serial = (g: typeof a) => new X509Certificate(g.certificateChain[0] as Uint8Array).serialNumber;
    expect(serial(a)).toHaveLength(32);
    expect(Number.parseInt(serial(a).slice(0, 1), 16)).toBeLessThan(8);
    expect(serial(a)).toBe(serial(b));
    expect(serial(a)).not.toBe(serial(c));
  });

  it('defaults to ECDSA P-256 and a random common name', async () => {
    const g = await generateCertificate({ now });
    expect(g.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new X509Certificate(g.certificateChain[0] as Uint8Array).subject).toMatch(/^CN=[0-9a-f]{16}$/);
    await expect(generateCertificate({ now, validityDays: 0 })).rejects.toThrow(/validityDays/);
  });
});
