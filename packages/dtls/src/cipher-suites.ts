import type { HashName } from './prf.js';

export type KeyExchange = 'ecdhe_ecdsa' | 'ecdhe_rsa' | 'psk';
export type AeadAlgorithm = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-ccm' | 'aes-128-ccm-8';

/** A cipher suite this stack implements. All are AEAD (no MAC keys, RFC 5246 §6.3). */
export interface CipherSuite {
  readonly id: number;
  readonly name: string;
  readonly keyExchange: KeyExchange;
  readonly aead: AeadAlgorithm;
  readonly hash: HashName;
  readonly keyLength: number;
  /** Implicit IV part from the key block (4 for GCM/CCM salt, 12 for ChaCha20-Poly1305). */
  readonly fixedIvLength: number;
  /** Explicit nonce carried in each record (8 for GCM/CCM, 0 for ChaCha20-Poly1305, RFC 7905 §2). */
  readonly explicitNonceLength: number;
  readonly tagLength: number;
}

function suite(id: number, name: string, keyExchange: KeyExchange, aead: AeadAlgorithm, hash: HashName): CipherSuite {
  const keyLength = aead === 'aes-256-gcm' || aead === 'chacha20-poly1305' ? 32 : 16;
  const chacha = aead === 'chacha20-poly1305';
  return {
    id,
    name,
    keyExchange,
    aead,
    hash,
    keyLength,
    fixedIvLength: chacha ? 12 : 4,
    explicitNonceLength: chacha ? 0 : 8,
    tagLength: aead === 'aes-128-ccm-8' ? 8 : 16,
  };
}

/** All implemented suites, in this stack's default preference order. */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  // RFC 5289 (ECDHE AES-GCM), RFC 7905 (ChaCha20-Poly1305)
  suite(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ecdhe_ecdsa', 'aes-128-gcm', 'sha256'),
  suite(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ecdhe_ecdsa', 'aes-256-gcm', 'sha384'),
  suite(0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ecdhe_ecdsa', 'chacha20-poly1305', 'sha256'),
  suite(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ecdhe_rsa', 'aes-128-gcm', 'sha256'),
  suite(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ecdhe_rsa', 'aes-256-gcm', 'sha384'),
  suite(0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ecdhe_rsa', 'chacha20-poly1305', 'sha256'),
  // RFC 5487 (PSK AES-GCM), RFC 6655 (PSK AES-CCM)
  suite(0x00a8, 'TLS_PSK_WITH_AES_128_GCM_SHA256', 'psk', 'aes-128-gcm', 'sha256'),
  suite(0x00a9, 'TLS_PSK_WITH_AES_256_GCM_SHA384', 'psk', 'aes-256-gcm', 'sha384'),
  suite(0xc0a4, 'TLS_PSK_WITH_AES_128_CCM', 'psk', 'aes-128-ccm', 'sha256'),
  suite(0xc0a8, 'TLS_PSK_WITH_AES_128_CCM_8', 'psk', 'aes-128-ccm-8', 'sha256'),
];

const BY_ID = new Map(CIPHER_SUITES.map((s) => [s.id, s]));
const BY_NAME = new Map(CIPHER_SUITES.map((s) => [s.name, s]));

export function cipherSuiteById(id: number): CipherSuite | undefined {
  return BY_ID.get(id);
}

export function cipherSuiteByName(name: string): CipherSuite | undefined {
  return BY_NAME.get(name);
}

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3). */
export const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
