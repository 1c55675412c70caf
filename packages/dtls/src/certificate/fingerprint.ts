/**
 * Certificate fingerprints in the SDP `a=fingerprint` form (RFC 8122 §5, RFC 8842 §5):
 * `hash-func SP fingerprint`, where fingerprint is uppercase hex byte pairs joined by colons,
 * e.g. `sha-256 AB:CD:…`. The hash is taken over the DER encoding of the certificate.
 */
import { createHash } from 'node:crypto';
import { ParseError, timingSafeEqualBytes } from '@rtcwire/common';

/** Hash functions we compute and accept. RFC 8122 §5 also lists md5/md2/sha-1; RFC 8827 §6.5 forbids weak ones. */
export type FingerprintAlgorithm = 'sha-256' | 'sha-384' | 'sha-512';

export const FINGERPRINT_ALGORITHMS: readonly FingerprintAlgorithm[] = ['sha-256', 'sha-384', 'sha-512'];

const DIGEST_LENGTH: Readonly<Record<FingerprintAlgorithm, number>> = {
  'sha-256': 32,
  'sha-384': 48,
  'sha-512': 64,
};

export interface CertificateFingerprint {
  readonly algorithm: FingerprintAlgorithm;
  /** The raw digest of the certificate's DER bytes. */
  readonly value: Uint8Array;
}

/** Digest of a DER certificate with the given hash. */
export function computeFingerprint(
  der: Uint8Array,
  algorithm: FingerprintAlgorithm = 'sha-256',
): CertificateFingerprint {
  const nodeName = algorithm.replace('-', '');
  const value = new Uint8Array(createHash(nodeName).update(der).digest());
  return { algorithm, value };
}

/** `sha-256 AB:CD:…` (RFC 8122 §5: uppercase hex, colon separated). */
export function formatFingerprint(fingerprint: CertificateFingerprint): string {
  const pairs: string[] = [];
  for (const b of fingerprint.value) pairs.push(b.toString(16).toUpperCase().padStart(2, '0'));
  return `${fingerprint.algorithm} ${pairs.join(':')}`;
}

/** Convenience: the SDP fingerprint string of a DER certificate. */
export function fingerprintOf(der: Uint8Array, algorithm: FingerprintAlgorithm = 'sha-256'): string {
  return formatFingerprint(computeFingerprint(der, algorithm));
}

/**
 * Parses `hash-func SP fingerprint` (the value of `a=fingerprint:`). The hash name is
 * case-insensitive (RFC 8122 §5 "hash-func" tokens); hex digits may be either case (we are
 * liberal in what we accept). Throws ParseError for anything else; `offset` is a character index.
 */
export function parseFingerprint(text: string): CertificateFingerprint {
  const trimmed = text.trim();
  const space = trimmed.indexOf(' ');
  if (space <= 0) throw new ParseError('fingerprint_syntax', 'expected "hash-func SP fingerprint"', 0);
  const name = trimmed.slice(0, space).toLowerCase();
  if (!(FINGERPRINT_ALGORITHMS as readonly string[]).includes(name)) {
    throw new ParseError('fingerprint_hash', `unsupported fingerprint hash "${name}"`, 0);
  }
  const algorithm = name as FingerprintAlgorithm;
  const hex = trimmed.slice(space + 1).trim();
  const pairs = hex.split(':');
  const expected = DIGEST_LENGTH[algorithm];
  if (pairs.length !== expected) {
    throw new ParseError('fingerprint_length', `${algorithm} needs ${expected} bytes, got ${pairs.length}`, space + 1);
  }
  const value = new Uint8Array(expected);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as string;
    if (!/^[0-9A-Fa-f]{2}$/.test(pair)) {
      throw new ParseError('fingerprint_hex', `bad hex pair "${pair}"`, space + 1 + i * 3);
    }
    value[i] = Number.parseInt(pair, 16);
  }
  return { algorithm, value };
}

/** Does `der` hash to `expected` (with expected's own algorithm)? Constant time in the digest. */
export function fingerprintMatches(der: Uint8Array, expected: CertificateFingerprint): boolean {
  const actual = computeFingerprint(der, expected.algorithm);
  return timingSafeEqualBytes(actual.value, expected.value);
}
