export {
  type CertificateFingerprint,
  type FingerprintAlgorithm,
  FINGERPRINT_ALGORITHMS,
  computeFingerprint,
  fingerprintMatches,
  fingerprintOf,
  formatFingerprint,
  parseFingerprint,
} from './fingerprint.js';
export {
  type PemBlock,
  decodePemBlocks,
  encodePem,
  exportPrivateKeyPem,
  parsePemCertificates,
  parsePemPrivateKey,
} from './pem.js';
export { credentialFromCryptoKey, loadPemCredential } from './credential.js';
export {
  type CertificateKeyType,
  type GenerateCertificateOptions,
  type GeneratedCertificate,
  generateCertificate,
} from './generate.js';
export { type CertificateSummary, type ParsedCertificate, describeCertificate, parseCertificate } from './parsed.js';
export {
  type CertificateAlert,
  type CertificatePurpose,
  type ValidateOptions,
  type ValidationResult,
  validateChain,
} from './validate.js';
export {
  type FingerprintVerifierOptions,
  type PkiVerifierOptions,
  type WallClock,
  createAcceptAnyVerifier,
  createFingerprintVerifier,
  createPkiVerifier,
} from './verifier.js';
