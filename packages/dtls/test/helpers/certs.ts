import { execFileSync } from 'node:child_process';
import { type KeyObject, X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCredential {
  readonly certificateChain: Uint8Array[];
  readonly privateKey: KeyObject;
  readonly certPem: string;
  readonly keyPem: string;
  readonly fingerprint: string;
}

export type KeyKind = 'p256' | 'p384' | 'rsa';

const cache = new Map<string, TestCredential>();

/** A self-signed certificate made by the openssl CLI (cached per process). */
export function testCredential(kind: KeyKind = 'p256', cn = 'rtcwire-test'): TestCredential {
  const id = `${kind}/${cn}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'dtls-cert-'));
  try {
    const keyArgs =
      kind === 'rsa'
        ? ['-newkey', 'rsa:2048']
        : ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${kind === 'p256' ? 'prime256v1' : 'secp384r1'}`];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        ...keyArgs,
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '30',
        '-subj',
        `/CN=${cn}`,
      ],
      {
        stdio: 'ignore',
      },
    );
    const certPem = readFileSync(join(dir, 'c.pem'), 'utf8');
    const keyPem = readFileSync(join(dir, 'k.pem'), 'utf8');
    const x = new X509Certificate(certPem);
    const cred = {
      certificateChain: [new Uint8Array(x.raw)],
      privateKey: createPrivateKey(keyPem),
      certPem,
      keyPem,
      fingerprint: x.fingerprint256,
    };
    cache.set(id, cred);
    return cred;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PeerVerifier in WebRTC style: accept exactly the expected SHA-256 fingerprint. */
export function fingerprintVerifier(expected: string) {
  return (chain: readonly Uint8Array[]) => {
    const leaf = chain[0];
    const fp = leaf ? sha256Fingerprint(leaf) : '';
    return fp === expected
      ? ({ ok: true, fingerprint: fp } as const)
      : ({ ok: false, alert: 42, reason: `fingerprint ${fp} != ${expected}` } as const);
  };
}

/** SHA-256 fingerprint of DER bytes in the `AB:CD:…` form X509Certificate.fingerprint256 uses. */
export function sha256Fingerprint(der: Uint8Array): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}
