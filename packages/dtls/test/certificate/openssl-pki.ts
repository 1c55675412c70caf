/**
 * Test helper: builds certificate chains with the `openssl` CLI (PEERS.md recipe) so that our
 * validator is checked against certificates it did not produce itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedPem {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

export type KeyKind = 'ec' | 'rsa';

export class OpensslPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'rtcwire-pki-'));
  private serial = 1;

  constructor(private readonly keyKind: KeyKind = 'ec') {}

  private run(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  private newKey(name: string): string {
    const keyPath = join(this.dir, `${name}.key`);
    if (this.keyKind === 'ec') {
      this.run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', keyPath]);
    } else {
      this.run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath]);
    }
    return keyPath;
  }

  private read(name: string): IssuedPem {
    const certPath = join(this.dir, `${name}.crt`);
    const keyPath = join(this.dir, `${name}.key`);
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
  }

  /** A self-signed certificate; `ca` adds CA:TRUE + keyCertSign (a root). */
  selfSigned(name: string, options: { ca: boolean; days?: number; extensions?: string[] }): IssuedPem {
    const keyPath = this.newKey(name);
    const ext =
      options.extensions ??
      (options.ca
        ? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash']
        : [
            'basicConstraints=critical,CA:FALSE',
            'keyUsage=critical,digitalSignature',
            'extendedKeyUsage=serverAuth,clientAuth',
          ]);
    this.run([
      'req',
      '-x509',
      '-new',
      '-key',
      keyPath,
      '-out',
      join(this.dir, `${name}.crt`),
      '-days',
      String(options.days ?? 30),
      '-subj',
      `/CN=${name}`,
      '-sha256',
      ...ext.flatMap((e) => ['-addext', e]),
    ]);
    return this.read(name);
  }

  /** A certificate for `name` signed by `issuer` with the given v3 extension lines. */
  issue(name: string, issuer: IssuedPem, extensions: string[], days = 30): IssuedPem {
    const keyPath = this.newKey(name);
    const csr = join(this.dir, `${name}.csr`);
    const extFile = join(this.dir, `${name}.ext`);
    writeFileSync(extFile, `${extensions.join('\n')}\n`);
    this.run(['req', '-new', '-key', keyPath, '-out', csr, '-subj', `/CN=${name}`]);
    this.run([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.certPath,
      '-CAkey',
      issuer.keyPath,
      '-set_serial',
      String(this.serial++),
      '-days',
      String(days),
      '-sha256',
      '-extfile',
      extFile,
      '-out',
      join(this.dir, `${name}.crt`),
    ]);
    return this.read(name);
  }

  intermediate(name: string, issuer: IssuedPem): IssuedPem {
    return this.issue(name, issuer, [
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
    ]);
  }

  leaf(name: string, issuer: IssuedPem, options: { eku?: string; days?: number; keyUsage?: string } = {}): IssuedPem {
    return this.issue(
      name,
      issuer,
      [
        'basicConstraints=critical,CA:FALSE',
        `keyUsage=critical,${options.keyUsage ?? 'digitalSignature'}`,
        `extendedKeyUsage=${options.eku ?? 'serverAuth,clientAuth'}`,
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
      ],
      options.days ?? 30,
    );
  }

  /** Removes the temporary directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
