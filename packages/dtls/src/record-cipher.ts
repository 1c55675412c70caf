import { type KeyObject, createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto';
import type { CipherSuite } from './cipher-suites.js';

/**
 * AEAD protection of one direction's records (RFC 5246 §6.2.3.3, RFC 6347 §4.1.2.1):
 * GCM (RFC 5288) and CCM (RFC 6655) use nonce = salt(4) || explicit(8) with the explicit part
 * (epoch || sequence) sent in the record; ChaCha20-Poly1305 (RFC 7905 §2) uses iv XOR the padded
 * 64-bit (epoch || sequence) and sends no explicit nonce.
 * additional_data = epoch(2) || seq(6) || type(1) || version(2) || plaintext length(2).
 */
export class RecordProtection {
  readonly suite: CipherSuite;
  private readonly key: KeyObject;
  private readonly iv: Uint8Array;
  private readonly nonce = new Uint8Array(12);
  private readonly aad = new Uint8Array(13);
  private readonly algorithm: string;

  constructor(suite: CipherSuite, key: Uint8Array, iv: Uint8Array) {
    this.suite = suite;
    this.key = createSecretKey(key);
    this.iv = iv.slice();
    this.algorithm = suite.aead === 'aes-128-ccm-8' ? 'aes-128-ccm' : suite.aead;
    if (suite.explicitNonceLength > 0) this.nonce.set(this.iv.subarray(0, 4), 0);
  }

  /** Bytes added to a plaintext fragment. */
  get overhead(): number {
    return this.suite.explicitNonceLength + this.suite.tagLength;
  }

  private setNonce(epoch: number, seq: number): void {
    const n = this.nonce;
    const hi = Math.floor(seq / 2 ** 32);
    if (this.suite.explicitNonceLength > 0) {
      n[4] = epoch >> 8;
      n[5] = epoch & 0xff;
      n[6] = (hi >> 8) & 0xff;
      n[7] = hi & 0xff;
      n[8] = (seq >>> 24) & 0xff;
      n[9] = (seq >>> 16) & 0xff;
      n[10] = (seq >>> 8) & 0xff;
      n[11] = seq & 0xff;
    } else {
      const iv = this.iv;
      n[0] = iv[0] as number;
      n[1] = iv[1] as number;
      n[2] = iv[2] as number;
      n[3] = iv[3] as number;
      n[4] = (iv[4] as number) ^ (epoch >> 8);
      n[5] = (iv[5] as number) ^ (epoch & 0xff);
      n[6] = (iv[6] as number) ^ ((hi >> 8) & 0xff);
      n[7] = (iv[7] as number) ^ (hi & 0xff);
      n[8] = (iv[8] as number) ^ ((seq >>> 24) & 0xff);
      n[9] = (iv[9] as number) ^ ((seq >>> 16) & 0xff);
      n[10] = (iv[10] as number) ^ ((seq >>> 8) & 0xff);
      n[11] = (iv[11] as number) ^ (seq & 0xff);
    }
  }

  private setAad(type: number, version: number, epoch: number, seq: number, length: number): void {
    const a = this.aad;
    const hi = Math.floor(seq / 2 ** 32);
    a[0] = epoch >> 8;
    a[1] = epoch & 0xff;
    a[2] = (hi >> 8) & 0xff;
    a[3] = hi & 0xff;
    a[4] = (seq >>> 24) & 0xff;
    a[5] = (seq >>> 16) & 0xff;
    a[6] = (seq >>> 8) & 0xff;
    a[7] = seq & 0xff;
    a[8] = type;
    a[9] = version >> 8;
    a[10] = version & 0xff;
    a[11] = length >> 8;
    a[12] = length & 0xff;
  }

  /** Protect a plaintext fragment; returns explicit_nonce || ciphertext || tag. */
  encrypt(type: number, version: number, epoch: number, seq: number, plaintext: Uint8Array): Uint8Array {
    this.setNonce(epoch, seq);
    this.setAad(type, version, epoch, seq, plaintext.byteLength);
    const s = this.suite;
    const out = new Uint8Array(s.explicitNonceLength + plaintext.byteLength + s.tagLength);
    if (s.explicitNonceLength > 0) out.set(this.nonce.subarray(4), 0);
    const cipher = createCipheriv(this.algorithm as 'aes-128-gcm', this.key, this.nonce, {
      authTagLength: s.tagLength,
    });
    cipher.setAAD(this.aad, { plaintextLength: plaintext.byteLength });
    const body = cipher.update(plaintext);
    cipher.final();
    out.set(body, s.explicitNonceLength);
    out.set(cipher.getAuthTag(), s.explicitNonceLength + plaintext.byteLength);
    return out;
  }

  /** Open a protected fragment; undefined when it is too short or fails authentication. */
  decrypt(type: number, version: number, epoch: number, seq: number, fragment: Uint8Array): Uint8Array | undefined {
    const s = this.suite;
    const plainLength = fragment.byteLength - s.explicitNonceLength - s.tagLength;
    if (plainLength < 0) return undefined;
    if (s.explicitNonceLength > 0) this.nonce.set(fragment.subarray(0, 8), 4);
    else this.setNonce(epoch, seq);
    this.setAad(type, version, epoch, seq, plainLength);
    const decipher = createDecipheriv(this.algorithm as 'aes-128-gcm', this.key, this.nonce, {
      authTagLength: s.tagLength,
    });
    decipher.setAuthTag(fragment.subarray(fragment.byteLength - s.tagLength));
    decipher.setAAD(this.aad, { plaintextLength: plainLength });
    const body = decipher.update(fragment.subarray(s.explicitNonceLength, s.explicitNonceLength + plainLength));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    return body;
  }
}

/** Split a key block into the two directions' keys and IVs (RFC 5246 §6.3; AEAD: no MAC keys). */
export function keyBlockLength(suite: CipherSuite): number {
  return 2 * (suite.keyLength + suite.fixedIvLength);
}

export interface DirectionalKeys {
  readonly client: RecordProtection;
  readonly server: RecordProtection;
}

export function deriveRecordProtection(suite: CipherSuite, keyBlock: Uint8Array): DirectionalKeys {
  const k = suite.keyLength;
  const v = suite.fixedIvLength;
  const clientKey = keyBlock.subarray(0, k);
  const serverKey = keyBlock.subarray(k, 2 * k);
  const clientIv = keyBlock.subarray(2 * k, 2 * k + v);
  const serverIv = keyBlock.subarray(2 * k + v, 2 * k + 2 * v);
  return {
    client: new RecordProtection(suite, clientKey, clientIv),
    server: new RecordProtection(suite, serverKey, serverIv),
  };
}
