/**
 * A local identity for the handshake: the certificate chain (leaf first, DER) and its private key.
 */
import { KeyObject, type webcrypto, X509Certificate } from 'node:crypto';
import { InvalidArgumentError } from '@rtcwire/common';
import type { DtlsCredential } from '../types.js';
import { parsePemCertificates, parsePemPrivateKey } from './pem.js';

export function credentialFromCryptoKey(
  certificateChain: readonly Uint8Array[],
  key: webcrypto.CryptoKey,
): DtlsCredential {
  return { certificateChain, privateKey: KeyObject.from(key) };
}

/**
 * A credential from PEM text: a certificate file (leaf first, then intermediates) and a key file.
 * Checks that the key belongs to the leaf.
 */
export function loadPemCredential(certificatePem: string, privateKeyPem: string, passphrase?: string): DtlsCredential {
  const certificateChain = parsePemCertificates(certificatePem);
  const privateKey = parsePemPrivateKey(privateKeyPem, passphrase);
  const leaf = new X509Certificate(certificateChain[0] as Uint8Array);
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new InvalidArgumentError('the private key does not match the leaf certificate');
  }
  return { certificateChain, privateKey };
}
