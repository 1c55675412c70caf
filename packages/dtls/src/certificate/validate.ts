/**
 * Certification path validation for PKI mode (a simplified RFC 5280 §6.1): build leaf →
 * intermediate(s) → trust anchor from the peer's chain, check every signature, validity period,
 * basicConstraints / keyUsage on issuers, digitalSignature and extendedKeyUsage on the leaf.
 * Failures map to TLS alerts (RFC 5246 §7.2.2) the way OpenSSL's ssl_verify_alarm_type does in
 * spirit: no path → unknown_ca, dates → certificate_expired, wrong purpose or unknown critical
 * extension → unsupported_certificate, anything else → bad_certificate.
 */
import {
  isWithinValidity,
  KEY_USAGE_DIGITAL_SIGNATURE,
  KEY_USAGE_KEY_CERT_SIGN,
  OID_ANY_EXT_KEY_USAGE,
  OID_CLIENT_AUTH,
  OID_SERVER_AUTH,
  type ParsedCertificate,
  parseCertificate,
  signatureVerifies,
} from './parsed.js';

export type CertificateAlert = 'bad_certificate' | 'unsupported_certificate' | 'certificate_expired' | 'unknown_ca';

export type ValidationResult =
  | { readonly ok: true; readonly path: readonly ParsedCertificate[] }
  | { readonly ok: false; readonly alert: CertificateAlert; readonly reason: string };

/** What the peer's leaf must be good for: we verify a server ('serverAuth') or a client ('clientAuth'). */
export type CertificatePurpose = 'serverAuth' | 'clientAuth';

export interface ValidateOptions {
  /** Trust anchors (DER), already parsed with `parseCertificate` or raw. */
  readonly trusted: readonly ParsedCertificate[];
  /** Wall-clock time to check validity periods against. */
  readonly now: Date;
  readonly purpose: CertificatePurpose;
  /** Longest accepted path, leaf and anchor included. Default 10. */
  readonly maxDepth?: number;
}

const fail = (alert: CertificateAlert, reason: string): ValidationResult => ({ ok: false, alert, reason });

function checkCommon(cert: ParsedCertificate, now: Date, role: string): ValidationResult | undefined {
  if (!isWithinValidity(cert, now)) {
    const when = now < cert.notBefore ? 'not yet valid' : 'expired';
    return fail('certificate_expired', `${role} certificate ${when}`);
  }
  if (cert.unknownCritical.length > 0) {
    return fail(
      'unsupported_certificate',
      `${role} certificate has unknown critical extension ${cert.unknownCritical.join(',')}`,
    );
  }
  return undefined;
}

function checkLeaf(leaf: ParsedCertificate, options: ValidateOptions): ValidationResult | undefined {
  const common = checkCommon(leaf, options.now, 'peer');
  if (common) return common;
  // RFC 5280 §4.2.1.3: an absent keyUsage places no restriction.
  if (leaf.keyUsage !== undefined && (leaf.keyUsage & KEY_USAGE_DIGITAL_SIGNATURE) === 0) {
    return fail('unsupported_certificate', 'peer certificate keyUsage lacks digitalSignature');
  }
  // RFC 5280 §4.2.1.12: when present, the purpose (or anyExtendedKeyUsage) must be listed.
  if (leaf.extendedKeyUsage !== undefined) {
    const wanted = options.purpose === 'serverAuth' ? OID_SERVER_AUTH : OID_CLIENT_AUTH;
    if (!leaf.extendedKeyUsage.includes(wanted) && !leaf.extendedKeyUsage.includes(OID_ANY_EXT_KEY_USAGE)) {
      return fail('unsupported_certificate', `peer certificate extendedKeyUsage lacks ${options.purpose}`);
    }
  }
  return undefined;
}

/** `depthBelow` = number of non-self-issued intermediates between this issuer and the leaf. */
function checkIssuer(
  issuer: ParsedCertificate,
  now: Date,
  depthBelow: number,
  role: string,
): ValidationResult | undefined {
  const common = checkCommon(issuer, now, role);
  if (common) return common;
  // RFC 5280 §6.1.4 (k): an issuer must assert cA in basicConstraints.
  if (!issuer.isCa)
    return fail('bad_certificate', `${role} certificate ${issuer.subject} is not a CA (basicConstraints)`);
  // RFC 5280 §6.1.4 (n): keyCertSign must be set when keyUsage is present.
  if (issuer.keyUsage !== undefined && (issuer.keyUsage & KEY_USAGE_KEY_CERT_SIGN) === 0) {
    return fail('bad_certificate', `${role} certificate ${issuer.subject} lacks keyCertSign`);
  }
  // RFC 5280 §4.2.1.9: pathLenConstraint bounds the intermediates that may follow.
  if (issuer.pathLength !== undefined && depthBelow > issuer.pathLength) {
    return fail('bad_certificate', `path length constraint of ${issuer.subject} exceeded`);
  }
  return undefined;
}

/** Could `issuer` have issued `cert`? Names must match; key identifiers too when both present. */
function namesIssuer(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (cert.issuer !== issuer.subject) return false;
  if (cert.authorityKeyId !== undefined && issuer.subjectKeyId !== undefined) {
    return cert.authorityKeyId === issuer.subjectKeyId;
  }
  return true;
}

function keyIdsMatch(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  return (
    cert.issuer === issuer.subject && cert.authorityKeyId !== undefined && cert.authorityKeyId === issuer.subjectKeyId
  );
}

function isSelfSigned(cert: ParsedCertificate): boolean {
  return cert.issuer === cert.subject && signatureVerifies(cert, cert);
}

/** Validates the peer's chain (leaf first, DER) against `options.trusted`. Never throws. */
export function validateChain(chain: readonly Uint8Array[], options: ValidateOptions): ValidationResult {
  if (chain.length === 0) return fail('bad_certificate', 'peer sent no certificate');
  let certs: ParsedCertificate[];
  try {
    certs = chain.map((der) => parseCertificate(der));
  } catch (err) {
    return fail('bad_certificate', `cannot decode peer certificate: ${(err as Error).message}`);
  }
  const leaf = certs[0] as ParsedCertificate;
  const maxDepth = options.maxDepth ?? 10;
  const leafProblem = checkLeaf(leaf, options);
  if (leafProblem) return leafProblem;

  // The leaf itself may be a pinned trust anchor.
  if (options.trusted.some((t) => bytesSame(t.der, leaf.der))) return { ok: true, path: [leaf] };

  const path: ParsedCertificate[] = [leaf];
  const unused = certs.slice(1);
  let current = leaf;
  let intermediates = 0;
  while (path.length < maxDepth) {
    // 1. A trust anchor that signed `current` ends the path.
    const anchor = options.trusted.find((a) => namesIssuer(current, a) && signatureVerifies(current, a));
    if (anchor) {
      const problem = checkIssuer(anchor, options.now, intermediates, 'trusted root');
      if (problem) return problem;
      path.push(anchor);
      return { ok: true, path };
    }
    // 2. Otherwise an issuer from the peer's own chain continues it.
    const next = unused.findIndex((c) => namesIssuer(current, c) && signatureVerifies(current, c));
    if (next < 0) {
      // The issuer is identified by key id yet its key does not verify: a forged or corrupted signature.
      const forged = [...options.trusted, ...unused].some((c) => keyIdsMatch(current, c));
      if (forged) return fail('bad_certificate', `signature of ${current.subject} does not verify`);
      if (isSelfSigned(current)) return fail('unknown_ca', `self-signed certificate ${current.subject} is not trusted`);
      return fail('unknown_ca', `issuer ${current.issuer} not found among trusted roots or the peer's chain`);
    }
    const issuer = unused.splice(next, 1)[0] as ParsedCertificate;
    if (isSelfSigned(issuer)) {
      // A self-signed certificate in the chain that is not one of our anchors (RFC 5280 §6.1).
      return fail('unknown_ca', `self-signed certificate ${issuer.subject} in chain is not trusted`);
    }
    const problem = checkIssuer(issuer, options.now, intermediates, 'intermediate');
    if (problem) return problem;
    if (issuer.subject !== issuer.issuer) intermediates++;
    path.push(issuer);
    current = issuer;
  }
  return fail('unknown_ca', `no trusted path within ${maxDepth} certificates`);
}

function bytesSame(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
