/**
 * Certificate chains made with the `openssl` CLI (the PEERS.md recipe) in a temporary directory, so
 * that tests check rtcwire against certificates it did not produce itself: self-signed leaves and
 * roots, intermediates and leaves signed by them, with any v3 extensions (RFC 5280 §4.2), EC P-256
 * or RSA-2048 keys. Test support only: it runs a child process and writes files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files on disk: contents and paths (for tools that take file names, like `s_server`). */
export interface IssuedPem {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/** `ec`: P-256 (prime256v1); `rsa`: 2048 bits. */
export type KeyKind = 'ec' | 'rsa';

export interface SelfSignedOptions {
  /** A CA (root) when true: CA:TRUE + keyCertSign; else an end-entity certificate. */
  readonly ca: boolean;
  /** Validity in days from now (default 30). */
  readonly days?: number;
  /** v3 extension lines (`-addext` syntax) replacing the defaults above. */
  readonly extensions?: readonly string[];
  /** Key type for this certificate (default: the PKI's). */
  readonly keyKind?: KeyKind;
}

export interface IssueOptions {
  readonly days?: number;
  readonly keyKind?: KeyKind;
}

export interface LeafOptions extends IssueOptions {
  /** extendedKeyUsage value (default `serverAuth,clientAuth`). */
  readonly eku?: string;
  /** keyUsage value after `critical,` (default `digitalSignature`). */
  readonly keyUsage?: string;
}

const CA_EXTENSIONS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
const LEAF_EXTENSIONS = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=serverAuth,clientAuth',
];

export class OpensslPki {
  /** The temporary directory holding every key, CSR and certificate (removed by `dispose`). */
  readonly dir = mkdtempSync(join(tmpdir(), 'rtcwire-pki-'));
  private serial = 1;

  /** `keyKind` is the default key type of the certificates this PKI makes. */
  constructor(private readonly keyKind: KeyKind = 'ec') {}

  /** A self-signed certificate: a root when `ca`, else a self-signed end-entity certificate. */
  selfSigned(name: string, options: SelfSignedOptions): IssuedPem {
    const keyPath = this.newKey(name, options.keyKind);
    const extensions =
      options.extensions ?? (options.ca ? [...CA_EXTENSIONS, 'subjectKeyIdentifier=hash'] : LEAF_EXTENSIONS);
    this.run([
      ...['req', '-x509', '-new', '-key', keyPath, '-out', join(this.dir, `${name}.crt`)],
      ...['-days', String(options.days ?? 30), '-subj', `/CN=${name}`, '-sha256'],
      ...extensions.flatMap((e) => ['-addext', e]),
    ]);
    return this.read(name);
  }

  /** A certificate for `name` signed by `issuer`, with exactly the given v3 extension lines. */
  issue(name: string, issuer: IssuedPem, extensions: readonly string[], options: IssueOptions = {}): IssuedPem {
    const keyPath = this.newKey(name, options.keyKind);
    const csr = join(this.dir, `${name}.csr`);
    const extFile = join(this.dir, `${name}.ext`);
    writeFileSync(extFile, `${extensions.join('\n')}\n`);
    this.run(['req', '-new', '-key', keyPath, '-out', csr, '-subj', `/CN=${name}`]);
    this.run([
      ...['x509', '-req', '-in', csr, '-CA', issuer.certPath, '-CAkey', issuer.keyPath],
      ...['-set_serial', String(this.serial++), '-days', String(options.days ?? 30), '-sha256'],
      ...['-extfile', extFile, '-out', join(this.dir, `${name}.crt`)],
    ]);
    return this.read(name);
  }

  /** An intermediate CA signed by `issuer`. */
  intermediate(name: string, issuer: IssuedPem, options: IssueOptions = {}): IssuedPem {
    return this.issue(
      name,
      issuer,
      [...CA_EXTENSIONS, 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'],
      options,
    );
  }

  /** An end-entity certificate signed by `issuer` (TLS server and client by default). */
  leaf(name: string, issuer: IssuedPem, options: LeafOptions = {}): IssuedPem {
    const extensions = [
      'basicConstraints=critical,CA:FALSE',
      `keyUsage=critical,${options.keyUsage ?? 'digitalSignature'}`,
      `extendedKeyUsage=${options.eku ?? 'serverAuth,clientAuth'}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
    ];
    return this.issue(name, issuer, extensions, options);
  }

  /** Removes the temporary directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  private newKey(name: string, kind: KeyKind = this.keyKind): string {
    const keyPath = join(this.dir, `${name}.key`);
    const algorithm =
      kind === 'ec'
        ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1']
        : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    this.run(['genpkey', ...algorithm, '-out', keyPath]);
    return keyPath;
  }

  private read(name: string): IssuedPem {
    const certPath = join(this.dir, `${name}.crt`);
    const keyPath = join(this.dir, `${name}.key`);
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
  }
}
