/**
 * A certificate decoded once for verification: node:crypto's X509Certificate for names, keys and
 * signatures, @peculiar/x509 for the extensions node:crypto does not expose (RFC 5280 §4.2).
 */
import { X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { type FingerprintAlgorithm, fingerprintOf } from './fingerprint.js';

// RFC 5280 §4.2.1 extension OIDs.
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_EXT_KEY_USAGE = '2.5.29.37';
export const OID_SUBJECT_KEY_ID = '2.5.29.14';
export const OID_AUTHORITY_KEY_ID = '2.5.29.35';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_ANY_EXT_KEY_USAGE = '2.5.29.37.0';
export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Extensions this verifier understands; any other critical one makes the certificate unusable (RFC 5280 §4.2). */
const UNDERSTOOD = new Set([
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  OID_EXT_KEY_USAGE,
  OID_SUBJECT_KEY_ID,
  OID_AUTHORITY_KEY_ID,
  OID_SUBJECT_ALT_NAME,
]);

export const KEY_USAGE_DIGITAL_SIGNATURE = 1;
export const KEY_USAGE_KEY_CERT_SIGN = 32;

export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly node: NodeX509;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** basicConstraints cA; false when the extension is absent. */
  readonly isCa: boolean;
  readonly pathLength: number | undefined;
  /** keyUsage bits (KeyUsageFlags), or undefined when the extension is absent (no restriction). */
  readonly keyUsage: number | undefined;
  /** extendedKeyUsage OIDs, or undefined when absent (no restriction). */
  readonly extendedKeyUsage: readonly string[] | undefined;
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
  /** OIDs of critical extensions we do not process. */
  readonly unknownCritical: readonly string[];
}

/** Decodes a DER certificate; throws (the caller maps it to bad_certificate). */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const node = new NodeX509(der);
  const cert = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  return {
    der,
    node,
    subject: node.subject,
    issuer: node.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    isCa: bc?.ca ?? false,
    pathLength: bc?.pathLength,
    keyUsage: ku === null ? undefined : ku.usages,
    extendedKeyUsage: eku === null ? undefined : eku.usages.map(String),
    subjectKeyId: ski?.keyId.toLowerCase(),
    authorityKeyId: aki?.keyId?.toLowerCase(),
    unknownCritical: cert.extensions.filter((e) => e.critical && !UNDERSTOOD.has(e.type)).map((e) => e.type),
  };
}

/** RFC 5280 §4.1.2.5: is `now` inside [notBefore, notAfter]? */
export function isWithinValidity(cert: ParsedCertificate, now: Date): boolean {
  const t = now.getTime();
  return t >= cert.notBefore.getTime() && t <= cert.notAfter.getTime();
}

/** Does `issuer`'s key verify `cert`'s signature? Never throws. */
export function signatureVerifies(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  try {
    return cert.node.verify(issuer.node.publicKey);
  } catch {
    return false;
  }
}

/** Display summary of a peer certificate (for logs, stats and the CLI). */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly fingerprint: string;
  readonly keyType: string | undefined;
}

export function describeCertificate(der: Uint8Array, algorithm: FingerprintAlgorithm = 'sha-256'): CertificateSummary {
  const node = new NodeX509(der);
  return {
    subject: node.subject.split('\n').join(', '),
    issuer: node.issuer.split('\n').join(', '),
    notBefore: new Date(node.validFrom),
    notAfter: new Date(node.validTo),
    fingerprint: fingerprintOf(der, algorithm),
    keyType: node.publicKey.asymmetricKeyType,
  };
}
