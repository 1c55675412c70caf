/**
 * PEM (RFC 7468) encoding and decoding of certificates and private keys.
 * Private keys may be SEC 1 `EC PRIVATE KEY`, PKCS #1 `RSA PRIVATE KEY` or PKCS #8 `PRIVATE KEY`
 * (optionally `ENCRYPTED PRIVATE KEY` with a passphrase); node:crypto does the key decoding.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { InvalidArgumentError } from '@rtcwire/common';

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

// RFC 7468 §2: "-----BEGIN label-----", base64 lines, "-----END label-----" with the same label.
const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order. Text between blocks (e.g. openssl's "subject=" lines) is ignored. */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    const label = m[1] as string;
    const body = (m[2] as string).replace(/\s+/g, '');
    // Encapsulated headers (RFC 1421 "Proc-Type:") mean legacy encrypted PEM; node:crypto handles those.
    if (body.includes(':')) {
      blocks.push({ label, der: new Uint8Array(0) });
      continue;
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new InvalidArgumentError(`PEM block "${label}" is not base64`);
    blocks.push({ label, der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return blocks;
}

/** One PEM block with 64-character lines (RFC 7468 §2). */
export function encodePem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** All `CERTIFICATE` blocks of a PEM file, leaf first as written. Throws if there are none. */
export function parsePemCertificates(text: string): Uint8Array[] {
  const certs = decodePemBlocks(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.der);
  if (certs.length === 0) throw new InvalidArgumentError('no "BEGIN CERTIFICATE" block found');
  return certs;
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

/**
 * The first private key in a PEM file. Other blocks (e.g. `EC PARAMETERS` written by
 * `openssl ecparam -genkey`) are skipped.
 */
export function parsePemPrivateKey(text: string, passphrase?: string): KeyObject {
  for (const m of text.matchAll(BLOCK_RE)) {
    if (!KEY_LABELS.has(m[1] as string)) continue;
    try {
      return passphrase === undefined
        ? createPrivateKey({ key: m[0], format: 'pem' })
        : createPrivateKey({ key: m[0], format: 'pem', passphrase });
    } catch (err) {
      throw new InvalidArgumentError(`cannot read private key: ${(err as Error).message}`, { cause: err });
    }
  }
  throw new InvalidArgumentError(
    'no private key block found (expected PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)',
  );
}

/** PKCS #8 PEM of a private key. */
export function exportPrivateKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}
