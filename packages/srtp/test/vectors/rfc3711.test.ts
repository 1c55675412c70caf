import { describe, expect, it } from 'vitest';
import {
  deriveKey,
  deriveSessionKeys,
  SRTP_PROFILES,
  SrtpProtectContext,
  SrtpUnprotectContext,
} from '../../src/index.js';
import { hex, rtp, toHex } from '../helpers.js';
import { BACKENDS } from '../backends.js';

// RFC 3711 Appendix B.3: key derivation.
describe('RFC 3711 B.3 key derivation', () => {
  const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');

  it('derives the cipher key, salt and authentication key', () => {
    expect(toHex(deriveKey(masterKey, masterSalt, 0, 16))).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(toHex(deriveKey(masterKey, masterSalt, 2, 14))).toBe('30cbbc08863d8c85d49db34a9ae1');
    expect(toHex(deriveKey(masterKey, masterSalt, 1, 94))).toBe(
      'cebe321f6ff7716b6fd4ab49af256a156d38baa48f0a0acf3c34e2359e6cdbce' +
        'e049646c43d9327ad175578ef72270986371c10c9a369ac2f94a8c5fbcdddc25' +
        '6d6e919a48b610ef17c2041e474035766b68642c59bbfc2f34db60dbdfb2',
    );
  });

  it('deriveSessionKeys uses labels 0-2 for SRTP and 3-5 for SRTCP', () => {
    const p = SRTP_PROFILES.AES_CM_128_HMAC_SHA1_80;
    const k = deriveSessionKeys(p, masterKey, masterSalt, false);
    expect(toHex(k.encryptionKey)).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(toHex(k.authenticationKey)).toBe('cebe321f6ff7716b6fd4ab49af256a156d38baa4');
    expect(toHex(k.salt)).toBe('30cbbc08863d8c85d49db34a9ae1');
    const c = deriveSessionKeys(p, masterKey, masterSalt, true);
    expect(toHex(c.encryptionKey)).toBe(toHex(deriveKey(masterKey, masterSalt, 3, 16)));
    expect(toHex(c.encryptionKey)).not.toBe(toHex(k.encryptionKey));
  });
});

// RFC 3711 Appendix B.2: AES-CM keystream with SSRC 0, ROC 0, SEQ 0, so the IV is the salt * 2^16.
describe.each(BACKENDS)('RFC 3711 B.2 AES-CM keystream (%s)', (backend) => {
  const sessionKeys = {
    encryptionKey: hex('2B7E151628AED2A6ABF7158809CF4F3C'),
    authenticationKey: new Uint8Array(20),
    salt: hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'),
  };
  const options = { backend, sessionKeys: { rtp: sessionKeys, rtcp: sessionKeys } };

  it('encrypting zeros yields the RFC keystream blocks, including block 0xFEFF-0xFF01', () => {
    const ctx = new SrtpProtectContext('AES_CM_128_HMAC_SHA1_80', new Uint8Array(0), new Uint8Array(0), options);
    const zeros = new Uint8Array(0xff02 * 16);
    const srtp = ctx.protect(rtp(0, 0, zeros));
    const ks = srtp.subarray(12, 12 + zeros.length);
    const block = (i: number) => toHex(ks.subarray(i * 16, i * 16 + 16));
    expect(block(0)).toBe('e03ead0935c95e80e166b16dd92b4eb4');
    expect(block(1)).toBe('d23513162b02d0f72a43a2fe4a5f97ab');
    expect(block(2)).toBe('41e95b3bb0a2e8dd477901e4fca894c0');
    expect(block(0xfeff)).toBe('ec8cdf7398607cb0f2d21675ea9ea1e4');
    expect(block(0xff00)).toBe('362b7c3c6773516318a077d7fc5073ae');
    expect(block(0xff01)).toBe('6a2cc3787889374fbeb4c81b17ba6c44');
    // And the receiver inverts it.
    const rx = new SrtpUnprotectContext('AES_CM_128_HMAC_SHA1_80', new Uint8Array(0), new Uint8Array(0), options);
    const r = rx.unprotect(srtp);
    expect(r.ok && toHex(r.packet.subarray(12, 60))).toBe('00'.repeat(48));
  });
});
