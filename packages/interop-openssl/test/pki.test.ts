import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IssuedPem, type KeyKind, OpensslPki } from '../src/index.js';

const DAY = 86_400_000;
const x509 = (p: IssuedPem) => new X509Certificate(p.cert);

/** `openssl verify` of `leaf` against `root` with `untrusted` intermediates: true when it says OK. */
function opensslVerifies(root: IssuedPem, leaf: IssuedPem, untrusted?: IssuedPem): boolean {
  const args = ['verify', '-CAfile', root.certPath, ...(untrusted ? ['-untrusted', untrusted.certPath] : [])];
  try {
    execFileSync('openssl', [...args, leaf.certPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    return true;
  } catch {
    return false;
  }
}

describe.each<KeyKind>(['ec', 'rsa'])('OpensslPki with %s keys', (kind) => {
  let pki: OpensslPki;
  let root: IssuedPem;
  let inter: IssuedPem;
  let leaf: IssuedPem;

  beforeAll(() => {
    pki = new OpensslPki(kind);
    root = pki.selfSigned('Root CA', { ca: true });
    inter = pki.intermediate('Intermediate CA', root);
    leaf = pki.leaf('peer.example', inter);
  });
  afterAll(() => pki.dispose());

  it('builds a root → intermediate → leaf chain that openssl and node:crypto both accept', () => {
    expect(opensslVerifies(root, leaf, inter)).toBe(true);
    expect(opensslVerifies(root, leaf)).toBe(false); // the intermediate is needed
    expect(x509(leaf).checkIssued(x509(inter))).toBe(true);
    expect(x509(leaf).verify(x509(inter).publicKey)).toBe(true);
    expect(x509(inter).verify(x509(root).publicKey)).toBe(true);
    expect(x509(root).verify(x509(root).publicKey)).toBe(true);
  });

  it('marks CAs and leaves, names subjects, uses the requested key type', () => {
    expect([x509(root).ca, x509(inter).ca, x509(leaf).ca]).toEqual([true, true, false]);
    expect(x509(leaf).subject).toBe('CN=peer.example');
    expect(x509(leaf).issuer).toBe('CN=Intermediate CA');
    expect(x509(leaf).publicKey.asymmetricKeyType).toBe(kind);
    expect(leaf.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(x509(leaf).checkPrivateKey(createPrivateKey(leaf.key))).toBe(true); // the key file belongs to it
    expect(x509(leaf).checkPrivateKey(createPrivateKey(inter.key))).toBe(false);
  });

  it('applies leaf options: extended key usage and validity', () => {
    const clientOnly = pki.leaf('client-only.example', inter, { eku: 'clientAuth', days: 2 });
    expect(x509(clientOnly).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(x509(leaf).keyUsage?.sort()).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    const days = (Date.parse(x509(clientOnly).validTo) - Date.now()) / DAY;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThan(2.1);
  });

  it('overrides the key type per certificate and accepts raw extension lines', () => {
    const other: KeyKind = kind === 'ec' ? 'rsa' : 'ec';
    const mixed = pki.leaf('mixed.example', inter, { keyKind: other });
    expect(x509(mixed).publicKey.asymmetricKeyType).toBe(other);
    expect(opensslVerifies(root, mixed, inter)).toBe(true);
    const named = pki.issue('named.example', inter, [
      'basicConstraints=critical,CA:FALSE',
      'subjectAltName=DNS:a.example',
    ]);
    expect(x509(named).subjectAltName).toBe('DNS:a.example');
  });

  it('a chain from another PKI with the same names does not verify against this root', () => {
    const stranger = new OpensslPki(kind);
    try {
      const strangerRoot = stranger.selfSigned('Root CA', { ca: true });
      const strangerLeaf = stranger.leaf('peer.example', strangerRoot);
      expect(opensslVerifies(strangerRoot, strangerLeaf)).toBe(true);
      expect(opensslVerifies(root, strangerLeaf)).toBe(false);
    } finally {
      stranger.dispose();
    }
  });
});

it('self-signed end-entity certificates are not CAs; dispose removes the directory', () => {
  const pki = new OpensslPki();
  const self = pki.selfSigned('self.example', { ca: false });
  expect(x509(self).ca).toBe(false);
  expect(x509(self).issuer).toBe(x509(self).subject);
  expect(x509(self).verify(x509(self).publicKey)).toBe(true);
  expect(existsSync(self.certPath)).toBe(true);
  pki.dispose();
  expect(existsSync(pki.dir)).toBe(false);
});
