import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@rtcwire/common';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodePemBlocks,
  encodePem,
  loadPemCredential,
  parsePemCertificates,
  parsePemPrivateKey,
} from '../../src/certificate/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rtcwire-pem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

describe('PEM', () => {
  it('property: decodePemBlocks(encodePem(der)) round-trips', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('CERTIFICATE', 'PRIVATE KEY', 'X 509'),
        (der, label) => {
          const text = encodePem(der, label);
          for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(64 + 16);
          const [block] = decodePemBlocks(`junk before\n${text}junk after`);
          expect(block?.label).toBe(label);
          expect(Array.from(block?.der ?? [])).toEqual(Array.from(der));
        },
      ),
    );
  });

  it('reads a chain file in order and ignores text between blocks', () => {
    const a = encodePem(new Uint8Array([1, 2, 3]), 'CERTIFICATE');
    const b = encodePem(new Uint8Array([4, 5]), 'CERTIFICATE');
    const k = encodePem(new Uint8Array([9]), 'PRIVATE KEY');
    const chain = parsePemCertificates(`subject=/CN=x\n${a}\n${k}issuer=/CN=y\n${b}`);
    expect(chain.map((c) => Array.from(c))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(() => parsePemCertificates(k)).toThrowError(InvalidArgumentError);
    expect(() => parsePemCertificates('-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----')).toThrowError(
      InvalidArgumentError,
    );
  });

  it.each([
    [
      'SEC 1 EC PRIVATE KEY (openssl ecparam -genkey)',
      ['ecparam', '-name', 'prime256v1', '-genkey', '-out', 'sec1.pem'],
      'sec1.pem',
      'ec',
      'EC PRIVATE KEY',
    ],
    [
      'PKCS #1 RSA PRIVATE KEY',
      ['genrsa', '-traditional', '-out', 'pkcs1.pem', '2048'],
      'pkcs1.pem',
      'rsa',
      'RSA PRIVATE KEY',
    ],
    [
      'PKCS #8 EC PRIVATE KEY',
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-out', 'p8.pem'],
      'p8.pem',
      'ec',
      'BEGIN PRIVATE KEY',
    ],
  ])('loads %s', (_name, args, file, type, marker) => {
    openssl(args);
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toContain(marker);
    const key = parsePemPrivateKey(text);
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyType).toBe(type);
  });

  it('loads an encrypted PKCS #8 key with its passphrase and refuses without it', () => {
    openssl([
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-aes-128-cbc',
      '-pass',
      'pass:s3cret',
      '-out',
      'enc.pem',
    ]);
    const text = readFileSync(join(dir, 'enc.pem'), 'utf8');
    expect(parsePemPrivateKey(text, 's3cret').asymmetricKeyType).toBe('ec');
    expect(() => parsePemPrivateKey(text, 'wrong')).toThrowError(InvalidArgumentError);
  });

  it('loadPemCredential checks that the key matches the leaf', () => {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-days',
      '30',
      '-subj',
      '/CN=x',
    ]);
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'other.pem']);
    const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
    const credential = loadPemCredential(cert, readFileSync(join(dir, 'k.pem'), 'utf8'));
    expect(credential.certificateChain).toHaveLength(1);
    expect(() => loadPemCredential(cert, readFileSync(join(dir, 'other.pem'), 'utf8'))).toThrowError(/does not match/);
    expect(() => parsePemPrivateKey(cert)).toThrowError(/no private key/);
  });
});
