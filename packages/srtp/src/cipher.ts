/**
 * The symmetric primitives an SRTP context needs, over byte ranges of one packet buffer. Two
 * implementations produce identical bytes: the native addon (crypto-native.ts) and node:crypto
 * (crypto-js.ts). All SRTP/SRTCP layout rules stay in the context code, shared by both.
 */

/** AES-CM keystream + truncated HMAC-SHA1 (RFC 3711 §4.1.1, §4.2.1), keyed once per session key. */
export interface CmCipher {
  /**
   * Copies src[0..encStart) to dst, encrypts src[encStart..encEnd) into dst, then writes the first
   * `tagLength` bytes of HMAC(dst[0..authEnd) || ROC) at dst[authEnd..]. ROC is omitted when `roc < 0`.
   * dst[encEnd..authEnd) must already hold the caller's bytes (the SRTCP E|index word).
   */
  protect(
    src: Uint8Array,
    dst: Uint8Array,
    encStart: number,
    encEnd: number,
    authEnd: number,
    tagLength: number,
    iv: Uint8Array,
    roc: number,
  ): void;
  /**
   * Verifies the tag at src[authEnd..authEnd+tagLength) over src[0..authEnd) (|| ROC); when authentic,
   * copies src[0..encStart) to dst and decrypts src[encStart..encEnd) into dst. False when not authentic
   * (dst untouched).
   */
  unprotect(
    src: Uint8Array,
    dst: Uint8Array,
    encStart: number,
    encEnd: number,
    authEnd: number,
    tagLength: number,
    iv: Uint8Array,
    roc: number,
  ): boolean;
}

/** AES-GCM with a 16-byte tag (RFC 7714), keyed once per session key. */
export interface GcmCipher {
  /**
   * AAD = src[0..aadEnd) || aad2. Copies the AAD prefix to dst, encrypts src[aadEnd..encEnd) into dst
   * and writes the tag at dst[encEnd..encEnd+16).
   */
  seal(src: Uint8Array, dst: Uint8Array, aadEnd: number, encEnd: number, iv: Uint8Array, aad2: Uint8Array | null): void;
  /** Opens with the tag at src[encEnd..encEnd+16); false when not authentic (dst content then unspecified). */
  open(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    iv: Uint8Array,
    aad2: Uint8Array | null,
  ): boolean;
}

export interface CipherFactory {
  readonly name: 'native' | 'node-crypto';
  createCm(encryptionKey: Uint8Array, authenticationKey: Uint8Array): CmCipher;
  createGcm(key: Uint8Array): GcmCipher;
}
