/**
 * node:crypto implementation of the SRTP primitives, used when the native addon is absent.
 *
 * node:crypto exposes no way to re-IV a cipher or reuse an HMAC key schedule, so every packet creates
 * its AES-CTR / HMAC / AES-GCM objects. (A long-lived AES-ECB keystream generator over counter blocks
 * avoids createCipheriv but loses more in the JavaScript XOR loop; see bench/srtp-options.bench.ts.)
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import type { CipherFactory, CmCipher, GcmCipher } from './cipher.js';
import { cmIv, gcmIv, wordBytes } from './iv.js';

class JsCm implements CmCipher {
  private readonly algorithm: 'aes-128-ctr' | 'aes-256-ctr';
  private readonly iv = new Uint8Array(16);

  constructor(
    private readonly encryptionKey: Uint8Array,
    private readonly authKey: Uint8Array,
    private readonly salt: Uint8Array,
  ) {
    this.algorithm = encryptionKey.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr';
  }

  /** XORs the AES-CM keystream over src[start..end) into dst (RFC 3711 §4.1.1). */
  private xor(
    src: Uint8Array,
    dst: Uint8Array,
    start: number,
    end: number,
    ssrc: number,
    roc: number,
    n: number,
  ): void {
    if (end <= start) return;
    // AES-CM is AES-CTR with a 128-bit big-endian counter starting at the IV.
    const ctr = createCipheriv(this.algorithm, this.encryptionKey, cmIv(this.iv, this.salt, ssrc, roc, n));
    dst.set(ctr.update(src.subarray(start, end)), start);
  }

  /** RFC 3711 §4.2: HMAC-SHA1 over the authenticated portion, plus the ROC for SRTP. */
  private mac(data: Uint8Array, end: number, roc: number): Buffer {
    const h = createHmac('sha1', this.authKey).update(data.subarray(0, end));
    if (roc >= 0) h.update(wordBytes(roc));
    return h.digest();
  }

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
  ): void {
    if (src !== dst) dst.set(src.subarray(0, encStart));
    this.xor(src, dst, encStart, encEnd, ssrc, roc, seqOrIndex);
    dst.set(this.mac(dst, authEnd, roc).subarray(0, tagLength), authEnd);
  }

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
  ): boolean {
    const tag = this.mac(src, authEnd, roc);
    if (!timingSafeEqual(tag.subarray(0, tagLength), src.subarray(authEnd, authEnd + tagLength))) return false;
    if (src !== dst) dst.set(src.subarray(0, encStart));
    this.xor(src, dst, encStart, encEnd, ssrc, roc, seqOrIndex);
    return true;
  }
}

class JsGcm implements GcmCipher {
  private readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  private readonly iv = new Uint8Array(12);

  constructor(
    private readonly key: Uint8Array,
    private readonly salt: Uint8Array,
  ) {
    this.algorithm = key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
  }

  /** RFC 7714 §8.2 / §9.2: the RTP header, or the SRTCP header followed by the E|index word. */
  private aad(src: Uint8Array, aadEnd: number, roc: number, word: number): Uint8Array {
    if (roc >= 0) return src.subarray(0, aadEnd);
    const out = new Uint8Array(aadEnd + 4);
    out.set(src.subarray(0, aadEnd));
    out.set(wordBytes(word), aadEnd);
    return out;
  }

  seal(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    ssrc: number,
    roc: number,
    seqOrWord: number,
  ): void {
    const iv = gcmIv(this.iv, this.salt, ssrc, roc, seqOrWord);
    const c = createCipheriv(this.algorithm, this.key, iv, { authTagLength: 16 });
    c.setAAD(this.aad(src, aadEnd, roc, seqOrWord));
    const body = c.update(src.subarray(aadEnd, encEnd));
    c.final();
    if (src !== dst) dst.set(src.subarray(0, aadEnd));
    dst.set(body, aadEnd);
    dst.set(c.getAuthTag(), encEnd);
  }

  open(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    ssrc: number,
    roc: number,
    seqOrWord: number,
  ): boolean {
    const iv = gcmIv(this.iv, this.salt, ssrc, roc, seqOrWord);
    const d = createDecipheriv(this.algorithm, this.key, iv, { authTagLength: 16 });
    d.setAAD(this.aad(src, aadEnd, roc, seqOrWord));
    d.setAuthTag(src.subarray(encEnd, encEnd + 16));
    const body = d.update(src.subarray(aadEnd, encEnd));
    try {
      d.final();
    } catch {
      return false; // node:crypto reports a bad GCM tag only by throwing
    }
    if (src !== dst) dst.set(src.subarray(0, aadEnd));
    dst.set(body, aadEnd);
    return true;
  }
}

export const nodeCryptoFactory: CipherFactory = {
  name: 'node-crypto',
  createCm: (encryptionKey, authenticationKey, salt) => new JsCm(encryptionKey, authenticationKey, salt),
  createGcm: (key, salt) => new JsGcm(key, salt),
};
