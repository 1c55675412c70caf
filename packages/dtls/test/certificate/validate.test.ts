import { type IssuedPem, type KeyKind, OpensslPki } from '@rtcwire/interop-openssl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDescription } from '../../src/alert.js';
import {
  createFingerprintVerifier,
  createPkiVerifier,
  fingerprintOf,
  generateCertificate,
  parsePemCertificates,
} from '../../src/certificate/index.js';
import type { PeerVerifier } from '../../src/types.js';

const DAY = 86_400_000;
const der = (...pems: IssuedPem[]) => pems.flatMap((p) => parsePemCertificates(p.cert));

describe.each<KeyKind>(['ec', 'rsa'])('PKI verification with openssl-made %s chains', (kind) => {
  let pki: OpensslPki;
  let root: IssuedPem;
  let inter: IssuedPem;
  let leaf: IssuedPem;
  let now: Date;
  let asClient: PeerVerifier;
  let asServer: PeerVerifier;

  beforeAll(() => {
    pki = new OpensslPki(kind);
    root = pki.selfSigned('Root CA', { ca: true });
    inter = pki.intermediate('Intermediate CA', root);
    leaf = pki.leaf('peer.example', inter);
    now = new Date(Date.now() + DAY);
    asClient = createPkiVerifier({ trusted: [root.cert], purpose: 'serverAuth', now: () => now });
    asServer = createPkiVerifier({ trusted: [root.cert], purpose: 'clientAuth', now });
  });
  afterAll(() => pki.dispose());

  it('accepts leaf + intermediate leading to the trusted root, in both roles', () => {
    const result = asClient(der(leaf, inter));
    expect(result).toEqual({
      ok: true,
      fingerprint: fingerprintOf(der(leaf)[0] as Uint8Array),
      subject: 'CN=peer.example',
    });
    expect(asServer(der(leaf, inter)).ok).toBe(true);
    // extra unrelated certificates and a sent root do not hurt
    expect(asClient(der(leaf, inter, root)).ok).toBe(true);
  });

  it('missing intermediate → unknown_ca', () => {
    expect(asClient(der(leaf))).toMatchObject({ ok: false, alert: AlertDescription.unknown_ca });
  });

  it('self-signed leaf → unknown_ca', () => {
    const self = pki.selfSigned('self.example', { ca: false });
    expect(asClient(der(self))).toMatchObject({
      ok: false,
      alert: AlertDescription.unknown_ca,
      reason: expect.stringMatching(/self-signed/),
    });
  });

  it('a chain from another root with the same name → unknown_ca', () => {
    const other = new OpensslPki(kind);
    try {
      const otherRoot = other.selfSigned('Root CA', { ca: true });
      const otherInter = other.intermediate('Intermediate CA', otherRoot);
      const otherLeaf = other.leaf('peer.example', otherInter);
      expect(asServer(der(otherLeaf, otherInter))).toMatchObject({ ok: false, alert: AlertDescription.unknown_ca });
    } finally {
      other.dispose();
    }
  });

  it('expired or not-yet-valid → certificate_expired', () => {
    const shortLived = pki.leaf('short.example', inter, { days: 1 });
    const later = createPkiVerifier({
      trusted: [root.cert],
      purpose: 'serverAuth',
      now: new Date(Date.now() + 3 * DAY),
    });
    // Valid right now. (Not `asClient`: its clock is beforeAll-time + 1 day, and OpenSSL truncates this leaf's
    // notAfter to whole seconds, so on a fast run the two can meet within the same second.)
    const present = createPkiVerifier({ trusted: [root.cert], purpose: 'serverAuth', now: new Date() });
    expect(present(der(shortLived, inter)).ok).toBe(true);
    expect(later(der(shortLived, inter))).toMatchObject({ ok: false, alert: AlertDescription.certificate_expired });
    const earlier = createPkiVerifier({
      trusted: [root.cert],
      purpose: 'serverAuth',
      now: new Date(Date.now() - 3 * DAY),
    });
    expect(earlier(der(leaf, inter))).toMatchObject({
      ok: false,
      alert: AlertDescription.certificate_expired,
      reason: expect.stringMatching(/not yet valid/),
    });
    // the whole path is dated: root and intermediate expire after 30 days
    const muchLater = createPkiVerifier({
      trusted: [root.cert],
      purpose: 'serverAuth',
      now: new Date(Date.now() + 40 * DAY),
    });
    expect(muchLater(der(leaf, inter))).toMatchObject({ ok: false, alert: AlertDescription.certificate_expired });
  });

  it('wrong extendedKeyUsage → unsupported_certificate', () => {
    const clientOnly = pki.leaf('client-only.example', inter, { eku: 'clientAuth' });
    expect(asServer(der(clientOnly, inter)).ok).toBe(true);
    expect(asClient(der(clientOnly, inter))).toMatchObject({
      ok: false,
      alert: AlertDescription.unsupported_certificate,
      reason: expect.stringMatching(/serverAuth/),
    });
  });

  it('leaf without digitalSignature → unsupported_certificate', () => {
    const noSig = pki.leaf('nosig.example', inter, { keyUsage: 'keyEncipherment' });
    expect(asClient(der(noSig, inter))).toMatchObject({ ok: false, alert: AlertDescription.unsupported_certificate });
  });

  it('leaf used as a CA → bad_certificate', () => {
    const child = pki.leaf('child.example', leaf);
    expect(asClient(der(child, leaf, inter))).toMatchObject({
      ok: false,
      alert: AlertDescription.bad_certificate,
      reason: expect.stringMatching(/not a CA/),
    });
  });

  it('intermediate without keyCertSign → bad_certificate', () => {
    const weak = pki.issue('Weak CA', root, [
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,digitalSignature',
      'subjectKeyIdentifier=hash',
    ]);
    const child = pki.leaf('weak-child.example', weak);
    expect(asClient(der(child, weak))).toMatchObject({
      ok: false,
      alert: AlertDescription.bad_certificate,
      reason: expect.stringMatching(/keyCertSign/),
    });
  });

  it('a corrupted signature → bad_certificate', () => {
    const [leafDer, interDer] = der(leaf, inter) as [Uint8Array, Uint8Array];
    const tampered = leafDer.slice();
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0x01;
    const result = asClient([tampered, interDer]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([AlertDescription.bad_certificate]).toContain(result.alert);
  });

  it('garbage or empty chains → bad_certificate', () => {
    expect(asClient([])).toMatchObject({ ok: false, alert: AlertDescription.bad_certificate });
    expect(asClient([new Uint8Array([0x30, 0x03, 1, 2, 3])])).toMatchObject({
      ok: false,
      alert: AlertDescription.bad_certificate,
    });
  });

  it('an unknown critical extension → unsupported_certificate', () => {
    const odd = pki.issue('odd.example', inter, [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      '1.2.3.4.5=critical,ASN1:NULL',
    ]);
    expect(asClient(der(odd, inter))).toMatchObject({ ok: false, alert: AlertDescription.unsupported_certificate });
  });

  it('expectedName checks subjectAltName DNS/IP (not the CN)', () => {
    const named = pki.issue('named.example', inter, [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:peer.example,DNS:*.wild.example,IP:127.0.0.1',
    ]);
    const verifyFor = (expectedName: string) =>
      createPkiVerifier({ trusted: [root.cert], purpose: 'serverAuth', now, expectedName })(der(named, inter));
    expect(verifyFor('peer.example').ok).toBe(true);
    expect(verifyFor('a.wild.example').ok).toBe(true);
    expect(verifyFor('127.0.0.1').ok).toBe(true);
    expect(verifyFor('other.example')).toMatchObject({
      ok: false,
      alert: AlertDescription.bad_certificate,
      reason: expect.stringMatching(/not valid for/),
    });
    expect(verifyFor('10.0.0.1').ok).toBe(false);
    // CN=named.example alone does not count (RFC 6125 §6.4.4)
    expect(verifyFor('named.example').ok).toBe(false);
  });

  it('pathLenConstraint:0 on the root forbids an intermediate', () => {
    const strictRoot = pki.selfSigned('Strict Root', {
      ca: true,
      extensions: [
        'basicConstraints=critical,CA:TRUE,pathlen:0',
        'keyUsage=critical,keyCertSign',
        'subjectKeyIdentifier=hash',
      ],
    });
    const i2 = pki.intermediate('Strict Intermediate', strictRoot);
    const l2 = pki.leaf('strict.example', i2);
    const direct = pki.leaf('direct.example', strictRoot);
    const verify = createPkiVerifier({ trusted: [strictRoot.cert], purpose: 'serverAuth', now });
    expect(verify(der(direct)).ok).toBe(true);
    expect(verify(der(l2, i2))).toMatchObject({
      ok: false,
      alert: AlertDescription.bad_certificate,
      reason: expect.stringMatching(/path length/),
    });
  });
});

describe('WebRTC fingerprint verification', () => {
  it('accepts a self-signed certificate only when a fingerprint matches', async () => {
    const now = new Date();
    const peer = await generateCertificate({ now, commonName: 'peer' });
    const other = await generateCertificate({ now, commonName: 'other' });
    const leaf = peer.certificateChain[0] as Uint8Array;
    const verify = createFingerprintVerifier({ fingerprints: [other.fingerprint(), peer.fingerprint('sha-384')] });
    expect(verify([leaf])).toEqual({ ok: true, fingerprint: peer.fingerprint('sha-384'), subject: 'CN=peer' });
    const strict = createFingerprintVerifier({ fingerprints: [other.fingerprint()] });
    expect(strict([leaf])).toMatchObject({
      ok: false,
      alert: AlertDescription.bad_certificate,
      reason: expect.stringMatching(/fingerprint mismatch/),
    });
    expect(strict([])).toMatchObject({ ok: false, alert: AlertDescription.bad_certificate });
    expect(() => createFingerprintVerifier({ fingerprints: [] })).toThrow();
    expect(() => createFingerprintVerifier({ fingerprints: ['sha-256 nonsense'] })).toThrow();
  });

  it('optionally checks validity', async () => {
    const peer = await generateCertificate({ now: new Date('2020-01-01T00:00:00Z'), validityDays: 1 });
    const verify = createFingerprintVerifier({
      fingerprints: [peer.fingerprint()],
      checkValidity: { now: new Date('2021-01-01T00:00:00Z') },
    });
    expect(verify(peer.certificateChain)).toMatchObject({ ok: false, alert: AlertDescription.certificate_expired });
    expect(createFingerprintVerifier({ fingerprints: [peer.fingerprint()] })(peer.certificateChain).ok).toBe(true);
  });
});
