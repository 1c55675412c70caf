export { credentialFromCryptoKey, loadPemCredential } from './credential.js';
export {
  type CertificateFingerprint,
  computeFingerprint,
  FINGERPRINT_ALGORITHMS,
  type FingerprintAlgorithm,
  fingerprintMatches,
  fingerprintOf,
  formatFingerprint,
  parseFingerprint,
} from './fingerprint.js';
export {
  type CertificateKeyType,
  type GenerateCertificateOptions,
  type GeneratedCertificate,
  generateCertificate,
} from './generate.js';
export { type CertificateSummary, describeCertificate, type ParsedCertificate, parseCertificate } from './parsed.js';
export {
  decodePemBlocks,
  encodePem,
  exportPrivateKeyPem,
  type PemBlock,
  parsePemCertificates,
  parsePemPrivateKey,
} from './pem.js';
export {
  type CertificateAlert,
  type CertificatePurpose,
  type ValidateOptions,
  type ValidationResult,
  validateChain,
} from './validate.js';
export {
  createAcceptAnyVerifier,
  createFingerprintVerifier,
  createPkiVerifier,
  type FingerprintVerifierOptions,
  type PkiVerifierOptions,
  type WallClock,
} from './verifier.js';
