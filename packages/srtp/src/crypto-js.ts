/**
 * node:crypto implementation of the SRTP primitives, used when the native addon is absent.
 *
 * node:crypto exposes no way to re-IV a cipher or reuse an HMAC key schedule, so every packet creates
 * its AES-CTR / HMAC / AES-GCM objects. (A long-lived AES-ECB keystream generator over counter blocks
 * avoids createCipheriv but loses more in the JavaScript XOR loop; see bench/srtp-options.bench.ts.)
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import type { CipherFactory, CmCipher, GcmCipher } from './cipher.js';

class JsCm implements CmCipher {
  private readonly algorithm: 'aes-128-ctr' | 'aes-256-ctr';
  private readonly rocBytes = new Uint8Array(4);

  constructor(
    private readonly encryptionKey: Uint8Array,
    private readonly authKey: Uint8Array,
  ) {
    this.algorithm = encryptionKey.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr';
  }

  /** XORs the AES-CM keystream for `iv` over src[start..end) into dst (RFC 3711 §4.1.1). */
  private xor(src: Uint8Array, dst: Uint8Array, start: number, end: number, iv: Uint8Array): void {
    if (end <= start) return;
    // AES-CM is AES-CTR with a 128-bit big-endian counter starting at the IV.
    const ctr = createCipheriv(this.algorithm, this.encryptionKey, iv);
    dst.set(ctr.update(src.subarray(start, end)), start);
  }

  private mac(data: Uint8Array, end: number, roc: number): Buffer {
    const h = createHmac('sha1', this.authKey).update(data.subarray(0, end));
    if (roc >= 0) {
      const r = this.rocBytes;
      r[0] = roc >>> 24;
      r[1] = roc >>> 16;
      r[2] = roc >>> 8;
      r[3] = roc;
      h.update(r);
    }
    return h.digest();
  }

  protect(
    src: Uint8Array,
    dst: Uint8Array,
    encStart: number,
    encEnd: number,
    authEnd: number,
    tagLength: number,
    iv: Uint8Array,
    roc: number,
  ): void {
    if (src !== dst) dst.set(src.subarray(0, encStart));
    this.xor(src, dst, encStart, encEnd, iv);
    const tag = this.mac(dst, authEnd, roc);
    dst.set(tag.subarray(0, tagLength), authEnd);
  }

  unprotect(
    src: Uint8Array,
    dst: Uint8Array,
    encStart: number,
    encEnd: number,
    authEnd: number,
    tagLength: number,
    iv: Uint8Array,
    roc: number,
  ): boolean {
    const tag = this.mac(src, authEnd, roc);
    if (!timingSafeEqual(tag.subarray(0, tagLength), src.subarray(authEnd, authEnd + tagLength))) return false;
    if (src !== dst) dst.set(src.subarray(0, encStart));
    this.xor(src, dst, encStart, encEnd, iv);
    return true;
  }
}

class JsGcm implements GcmCipher {
  private readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  constructor(private readonly key: Uint8Array) {
    this.algorithm = key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
  }

  seal(
    src: Uint8Array,
    dst: Uint8Array,
    aadEnd: number,
    encEnd: number,
    iv: Uint8Array,
    aad2: Uint8Array | null,
  ): void {
    const c = createCipheriv(this.algorithm, this.key, iv, { authTagLength: 16 });
    c.setAAD(aad2 === null ? src.subarray(0, aadEnd) : concat(src.subarray(0, aadEnd), aad2));
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
    iv: Uint8Array,
    aad2: Uint8Array | null,
  ): boolean {
    const d = createDecipheriv(this.algorithm, this.key, iv, { authTagLength: 16 });
    d.setAAD(aad2 === null ? src.subarray(0, aadEnd) : concat(src.subarray(0, aadEnd), aad2));
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export const nodeCryptoFactory: CipherFactory = {
  name: 'node-crypto',
  createCm: (encryptionKey, authenticationKey) => new JsCm(encryptionKey, authenticationKey),
  createGcm: (key) => new JsGcm(key),
};
