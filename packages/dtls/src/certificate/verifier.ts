/**
 * PeerVerifier factories for the two ways a DTLS peer is authenticated:
 * - WebRTC mode (RFC 8827 §6.5, RFC 8122 §5): any certificate, self-signed or not, is accepted
 *   only when its fingerprint equals one signalled in SDP `a=fingerprint`.
 * - PKI mode: the peer's chain must lead to one of our trusted roots (see validate.ts).
 */

import { InvalidArgumentError } from '@rtcwire/common';
import { AlertDescription } from '../alert.js';
import type { PeerVerifier, PeerVerifyResult } from '../types.js';
import {
  type CertificateFingerprint,
  type FingerprintAlgorithm,
  fingerprintMatches,
  fingerprintOf,
  parseFingerprint,
} from './fingerprint.js';
import { type ParsedCertificate, parseCertificate } from './parsed.js';
import { parsePemCertificates } from './pem.js';
import { type CertificatePurpose, validateChain } from './validate.js';

/** Wall-clock time source for validity checks: a fixed Date or a function read at verification time. */
export type WallClock = Date | (() => Date);

function readClock(clock: WallClock): Date {
  return typeof clock === 'function' ? clock() : clock;
}

function subjectOf(der: Uint8Array): string | undefined {
  try {
    return parseCertificate(der).subject.split('\n').join(', ');
  } catch {
    return undefined;
  }
}

function accepted(leaf: Uint8Array, algorithm: FingerprintAlgorithm): PeerVerifyResult {
  const subject = subjectOf(leaf);
  const fingerprint = fingerprintOf(leaf, algorithm);
  return subject === undefined ? { ok: true, fingerprint } : { ok: true, fingerprint, subject };
}

export interface FingerprintVerifierOptions {
  /** Expected fingerprints, parsed or in SDP form (`sha-256 AB:…`). At least one. */
  readonly fingerprints: readonly (CertificateFingerprint | string)[];
  /** Also reject a leaf outside its validity period (browsers do not; default false). */
  readonly checkValidity?: { readonly now: WallClock };
}

/** WebRTC mode: the leaf must hash to one of the expected fingerprints; else bad_certificate. */
export function createFingerprintVerifier(options: FingerprintVerifierOptions): PeerVerifier {
  const expected = options.fingerprints.map((f) => (typeof f === 'string' ? parseFingerprint(f) : f));
  if (expected.length === 0) throw new InvalidArgumentError('at least one expected fingerprint is required');
  const first = expected[0] as CertificateFingerprint;
  return (chain) => {
    const leaf = chain[0];
    if (leaf === undefined) {
      return { ok: false, alert: AlertDescription.bad_certificate, reason: 'peer sent no certificate' };
    }
    const match = expected.find((f) => fingerprintMatches(leaf, f));
    if (match === undefined) {
      return {
        ok: false,
        alert: AlertDescription.bad_certificate,
        reason: `fingerprint mismatch: got ${fingerprintOf(leaf, first.algorithm)}`,
      };
    }
    let parsed: ParsedCertificate;
    try {
      parsed = parseCertificate(leaf);
    } catch (err) {
      return {
        ok: false,
        alert: AlertDescription.bad_certificate,
        reason: `cannot decode peer certificate: ${(err as Error).message}`,
      };
    }
    if (options.checkValidity) {
      const now = readClock(options.checkValidity.now).getTime();
      if (now < parsed.notBefore.getTime() || now > parsed.notAfter.getTime()) {
        return {
          ok: false,
          alert: AlertDescription.certificate_expired,
          reason: 'peer certificate outside its validity period',
        };
      }
    }
    return accepted(leaf, match.algorithm);
  };
}

export interface PkiVerifierOptions {
  /** Trusted roots: DER certificates and/or PEM text (any number of CERTIFICATE blocks). */
  readonly trusted: readonly (Uint8Array | string)[];
  /** Which purpose the peer's leaf must allow: 'serverAuth' when we are the client, 'clientAuth' when the server. */
  readonly purpose: CertificatePurpose;
  readonly now: WallClock;
  readonly maxDepth?: number;
  /**
   * Also require the leaf to be issued for this DNS name or IP address (RFC 6125 §6: subjectAltName
   * dNSName / iPAddress, wildcards in the left-most label; node:crypto checkHost / checkIP).
   */
  readonly expectedName?: string;
}

/** PKI mode: chain validation against trusted roots, failures mapped to alerts. */
export function createPkiVerifier(options: PkiVerifierOptions): PeerVerifier {
  const anchors: ParsedCertificate[] = [];
  for (const t of options.trusted) {
    for (const der of typeof t === 'string' ? parsePemCertificates(t) : [t]) anchors.push(parseCertificate(der));
  }
  if (anchors.length === 0) throw new InvalidArgumentError('at least one trusted root is required');
  return (chain) => {
    const result = validateChain(chain, {
      trusted: anchors,
      now: readClock(options.now),
      purpose: options.purpose,
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    });
    if (!result.ok) return { ok: false, alert: AlertDescription[result.alert], reason: result.reason };
    const name = options.expectedName;
    if (name !== undefined && !leafMatchesName(result.path[0] as ParsedCertificate, name)) {
      return { ok: false, alert: AlertDescription.bad_certificate, reason: `certificate is not valid for "${name}"` };
    }
    return accepted(chain[0] as Uint8Array, 'sha-256');
  };
}

const IP_RE = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

function leafMatchesName(leaf: ParsedCertificate, name: string): boolean {
  // subject: 'never' — RFC 6125 §6.4.4: the CN is not consulted when names are checked.
  return IP_RE.test(name)
    ? leaf.node.checkIP(name) !== undefined
    : leaf.node.checkHost(name, { subject: 'never' }) !== undefined;
}

/** Accepts any certificate (e.g. a test client, or when authentication happens elsewhere). */
export function createAcceptAnyVerifier(): PeerVerifier {
  return (chain) => {
    const leaf = chain[0];
    if (leaf === undefined)
      return { ok: false, alert: AlertDescription.bad_certificate, reason: 'peer sent no certificate' };
    return accepted(leaf, 'sha-256');
  };
}
