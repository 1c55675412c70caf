/**
 * node:crypto implementation of the SRTP primitives, used when the native addon is absent.
 *
 * AES-CM: one long-lived AES-ECB cipher per session key encrypts the packet's counter blocks
 * (IV, IV+1, …) in a single update() call — the CTR keystream without a createCipheriv per packet.
 * HMAC-SHA1 and AES-GCM need a fresh node:crypto object per packet (node exposes no reusable state).
 */
import { type Cipher, createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import type { CipherFactory, CmCipher, GcmCipher } from './cipher.js';

class JsCm implements CmCipher {
  private readonly ecb: Cipher;
  private counters = new Uint8Array(0);
  private readonly rocBytes = new Uint8Array(4);

  constructor(
    encryptionKey: Uint8Array,
    private readonly authKey: Uint8Array,
  ) {
    const algorithm = encryptionKey.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb';
    this.ecb = createCipheriv(algorithm, encryptionKey, null).setAutoPadding(false);
  }

  /** XORs the AES-CM keystream for `iv` over src[start..end) into dst (RFC 3711 §4.1.1). */
  private xor(src: Uint8Array, dst: Uint8Array, start: number, end: number, iv: Uint8Array): void {
    const n = end - start;
    if (n <= 0) return;
    const blocks = (n + 15) >>> 4;
    if (this.counters.length < blocks * 16) this.counters = new Uint8Array(blocks * 16 + 256);
    const c = this.counters;
    // The IV's low 16 bits are zero (salt * 2^16), so block b only sets the last two bytes: no carry
    // for packets under 1 MiB.
    for (let b = 0; b < blocks; b++) {
      const o = b << 4;
      c.set(iv, o);
      c[o + 14] = (iv[14] ?? 0) ^ (b >>> 8);
      c[o + 15] = (iv[15] ?? 0) ^ (b & 0xff);
    }
    const ks = this.ecb.update(c.subarray(0, blocks * 16));
    for (let i = 0; i < n; i++) dst[start + i] = (src[start + i] ?? 0) ^ (ks[i] ?? 0);
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
