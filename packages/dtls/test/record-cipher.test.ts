import { createCipheriv } from 'node:crypto';
import { toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES } from '../src/index.js';
import { RecordProtection } from '../src/record-cipher.js';

const key = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 1) & 0xff);

describe('AEAD record protection', () => {
  for (const suite of CIPHER_SUITES) {
    it(`${suite.name}: round trip, overhead, tamper and wrong sequence fail`, () => {
      const p = new RecordProtection(suite, key(suite.keyLength), key(suite.fixedIvLength));
      const plain = new TextEncoder().encode('application data for a record');
      const sealed = p.encrypt(23, 0xfefd, 1, 0x123456789a, plain);
      expect(sealed.byteLength).toBe(plain.byteLength + p.overhead);
      expect(toHex(p.decrypt(23, 0xfefd, 1, 0x123456789a, sealed) ?? new Uint8Array())).toBe(toHex(plain));
      for (const at of [0, sealed.byteLength >> 1, sealed.byteLength - 1]) {
        const bad = sealed.slice();
        bad[at] = (bad[at] ?? 0) ^ 1;
        expect(p.decrypt(23, 0xfefd, 1, 0x123456789a, bad)).toBeUndefined();
      }
      // The additional data binds type, epoch and (for ChaCha also the nonce) sequence number.
      expect(p.decrypt(22, 0xfefd, 1, 0x123456789a, sealed)).toBeUndefined();
      expect(p.decrypt(23, 0xfefd, 2, 0x123456789a, sealed)).toBeUndefined();
      expect(p.decrypt(23, 0xfefd, 1, 0x123456789b, sealed)).toBeUndefined();
      expect(p.decrypt(23, 0xfefd, 1, 1, sealed.subarray(0, 5))).toBeUndefined();
      expect(
        toHex(p.decrypt(23, 0xfefd, 1, 7, p.encrypt(23, 0xfefd, 1, 7, new Uint8Array(0))) ?? Uint8Array.of(9)),
      ).toBe('');
    });
  }

  it('AES-128-GCM record equals an independent RFC 5288 construction', () => {
    const suite = CIPHER_SUITES.find((s) => s.aead === 'aes-128-gcm');
    if (!suite) throw new Error('suite missing');
    const k = key(16);
    const salt = key(4);
    const p = new RecordProtection(suite, k, salt);
    const plain = Uint8Array.of(1, 2, 3, 4);
    const sealed = p.encrypt(23, 0xfefd, 1, 2, plain);
    const explicit = Uint8Array.of(0, 1, 0, 0, 0, 0, 0, 2);
    const nonce = Buffer.concat([salt, explicit]);
    const aad = Buffer.concat([explicit, Uint8Array.of(23, 0xfe, 0xfd, 0, 4)]);
    const c = createCipheriv('aes-128-gcm', k, nonce);
    c.setAAD(aad);
    const expected = Buffer.concat([explicit, c.update(plain), c.final(), c.getAuthTag()]);
    expect(toHex(sealed)).toBe(toHex(expected));
  });

  it('ChaCha20-Poly1305 record equals an independent RFC 7905 construction', () => {
    const suite = CIPHER_SUITES.find((s) => s.aead === 'chacha20-poly1305');
    if (!suite) throw new Error('suite missing');
    const k = key(32);
    const iv = key(12);
    const sealed = new RecordProtection(suite, k, iv).encrypt(23, 0xfefd, 1, 2, Uint8Array.of(5));
    const nonce = Buffer.from(iv);
    nonce[5] = (nonce[5] ?? 0) ^ 1; // epoch 1 in byte 4+1
    nonce[11] = (nonce[11] ?? 0) ^ 2; // sequence 2
    const c = createCipheriv('chacha20-poly1305', k, nonce, { authTagLength: 16 });
    c.setAAD(Uint8Array.of(0, 1, 0, 0, 0, 0, 0, 2, 23, 0xfe, 0xfd, 0, 1), { plaintextLength: 1 });
    expect(toHex(sealed)).toBe(toHex(Buffer.concat([c.update(Uint8Array.of(5)), c.final(), c.getAuthTag()])));
  });
});
