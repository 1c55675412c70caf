/**
 * Self-signed certificate generation (the WebRTC model: RFC 8827 §6.5 — each endpoint makes its
 * own certificate and the SDP fingerprint authenticates it). Built with @peculiar/x509 over
 * node:crypto's WebCrypto; the key is handed back as a node:crypto KeyObject.
 *
 * Sans-IO: the wall-clock time and the random source are inputs.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { InvalidArgumentError, type RandomSource, secureRandom, toHex } from '@rtcwire/common';
import type { DtlsCredential } from '../types.js';
import { credentialFromCryptoKey } from './credential.js';
import { type FingerprintAlgorithm, fingerprintOf } from './fingerprint.js';
import { encodePem, exportPrivateKeyPem } from './pem.js';

export type CertificateKeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048';

export interface GenerateCertificateOptions {
  /** Wall-clock time the certificate is made at (validity starts one day earlier to absorb clock skew). */
  readonly now: Date;
  readonly keyType?: CertificateKeyType;
  /** Subject and issuer common name; a random hex name when omitted. */
  readonly commonName?: string;
  /** Days after `now` until notAfter; default 30. */
  readonly validityDays?: number;
  /** Source of the serial number (and the default name). Defaults to the platform CSPRNG. */
  readonly random?: RandomSource;
}

export interface GeneratedCertificate extends DtlsCredential {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** Fingerprint of the certificate in SDP form. */
  fingerprint(algorithm?: FingerprintAlgorithm): string;
}

type SigningAlgorithm = (EcKeyGenParams & EcdsaParams) | RsaHashedKeyGenParams;

function signingAlgorithm(keyType: CertificateKeyType): SigningAlgorithm {
  switch (keyType) {
    case 'ecdsa-p256':
      return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    case 'ecdsa-p384':
      return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
    case 'rsa-2048':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
    default:
      throw new InvalidArgumentError(`unknown key type "${String(keyType)}"`);
  }
}

let providerSet = false;
function ensureProvider(): void {
  if (providerSet) return;
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  providerSet = true;
}

const DAY_MS = 86_400_000;

/** RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; we use 16 random octets. */
function randomSerial(random: RandomSource): string {
  const bytes = random.bytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40; // positive, fixed length
  return toHex(bytes);
}

export async function generateCertificate(options: GenerateCertificateOptions): Promise<GeneratedCertificate> {
  ensureProvider();
  const keyType = options.keyType ?? 'ecdsa-p256';
  const validityDays = options.validityDays ?? 30;
  if (!(validityDays > 0)) throw new InvalidArgumentError('validityDays must be positive');
  const random = options.random ?? secureRandom;
  const algorithm = signingAlgorithm(keyType);
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const commonName = options.commonName ?? toHex(random.bytes(8));
  const nowMs = options.now.getTime();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(random),
    name: [{ CN: [commonName] }],
    notBefore: new Date(nowMs - DAY_MS),
    notAfter: new Date(nowMs + validityDays * DAY_MS),
    keys,
    signingAlgorithm: algorithm,
  });
  const der = new Uint8Array(cert.rawData);
  const credential = credentialFromCryptoKey([der], keys.privateKey);
  return {
    ...credential,
    certificatePem: encodePem(der, 'CERTIFICATE'),
    privateKeyPem: exportPrivateKeyPem(credential.privateKey),
    fingerprint: (alg: FingerprintAlgorithm = 'sha-256') => fingerprintOf(der, alg),
  };
}
