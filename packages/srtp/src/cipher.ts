/**
 * The symmetric primitives an SRTP context needs, over byte ranges of one packet buffer. Two
 * implementations produce identical bytes: the native addon (crypto-native.ts) and node:crypto
 * (crypto-js.ts). Packet layout, ROC and replay rules stay in the context code, shared by both.
 *
 * IV selection: `roc >= 0` means SRTP (IV from SSRC, ROC and `seqOrIndex` = SEQ); `roc < 0` means
 * SRTCP (IV from SSRC and the 31-bit SRTCP index in `seqOrIndex`).
 */

/** AES-CM keystream + truncated HMAC-SHA1 (RFC 3711 §4.1.1, §4.2.1), keyed once per session key. */
export interface CmCipher {
  /**
   * Copies src[0..encStart) to dst, encrypts src[encStart..encEnd) into dst, then writes the first
   * `tagLength` bytes of HMAC(dst[0..authEnd) || ROC) at dst[authEnd..] (no ROC for SRTCP).
   * dst[encEnd..authEnd) must already hold the caller's bytes (the SRTCP E|index word).
   */
  protect(
    src: Uint8Array,
    dst: Uint8Array,
    encStart: number,
    encEnd: number,
    authEnd: number,
    tagLength: number,
    ssrc: number,
    roc: number,
    seqOrIndex: number,
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
    ssrc: number,
    roc: number,
    seqOrIndex: number,
  ): boolean;
}

/** AES-GCM with a 16-byte tag (RFC 7714), keyed once per session key. */
export interface GcmCipher {
  /**
   * AAD = src[0..aadEnd), followed for SRTCP (roc < 0) by the E|index word `seqOrWord` (RFC 7714 §9.2).
   * Copies the AAD prefix to dst, encrypts src[aadEnd..encEnd) into dst and writes the tag at
   * dst[encEnd..encEnd+16).
   */
  seal(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    ssrc: number,
    roc: number,
    seqOrWord: number,
  ): void;
  /** Opens with the tag at src[encEnd..encEnd+16); false when not authentic (dst content then unspecified). */
  open(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    ssrc: number,
    roc: number,
    seqOrWord: number,
  ): boolean;
}

export interface CipherFactory {
  readonly name: 'native' | 'node-crypto';
  createCm(encryptionKey: Uint8Array, authenticationKey: Uint8Array, salt: Uint8Array): CmCipher;
  createGcm(key: Uint8Array, salt: Uint8Array): GcmCipher;
}
