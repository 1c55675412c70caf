import { describe, expect, it } from 'vitest';
import { type SrtpProfileName, SrtpProtectContext, SrtpUnprotectContext } from '../../src/index.js';
import { BACKENDS } from '../backends.js';
import { hex, toHex } from '../helpers.js';

// RFC 7714 §16 (SRTP) and §17 (SRTCP); the vectors are stated with session keys.
const SALT = hex('517569642070726f2071756f');
const KEY_128 = hex('000102030405060708090a0b0c0d0e0f');
const KEY_256 = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const RTP = hex('8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573');
const RTCP = hex(
  '81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
);
const SSRC_MARS = 0x4d617273;
const CASES: { profile: SrtpProfileName; key: Uint8Array; srtp: string; srtcp: string }[] = [
  {
    profile: 'AEAD_AES_128_GCM',
    key: KEY_128,
    // §16.1.1
    srtp: '8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce',
    // §17.1
    srtcp:
      '81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4',
  },
  {
    profile: 'AEAD_AES_256_GCM',
    key: KEY_256,
    // §16.2.1
    srtp: '8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13',
    // §17.2
    srtcp:
      '81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4',
  },
];

function contexts(profile: SrtpProfileName, key: Uint8Array, backend: 'native' | 'node-crypto') {
  const k = { encryptionKey: key, authenticationKey: new Uint8Array(0), salt: SALT };
  const options = { backend, sessionKeys: { rtp: k, rtcp: k } };
  const none = new Uint8Array(0);
  return {
    tx: new SrtpProtectContext(profile, none, none, options),
    rx: new SrtpUnprotectContext(profile, none, none, options),
  };
}

describe.each(BACKENDS)('RFC 7714 vectors (%s)', (backend) => {
  for (const c of CASES) {
    it(`${c.profile} SRTP protect and unprotect (§16)`, () => {
      const { tx, rx } = contexts(c.profile, c.key, backend);
      expect(toHex(tx.protect(RTP))).toBe(c.srtp);
      const r = rx.unprotect(hex(c.srtp));
      expect(r.ok && toHex(r.packet)).toBe(toHex(RTP));
      expect(r.ok && r.index).toBe(0xf17b);
    });

    it(`${c.profile} SRTCP protect and unprotect with index 0x5d4 (§17)`, () => {
      const { tx, rx } = contexts(c.profile, c.key, backend);
      tx.setNextRtcpIndex(SSRC_MARS, 0x5d4);
      expect(toHex(tx.protectRtcp(RTCP))).toBe(c.srtcp);
      const r = rx.unprotectRtcp(hex(c.srtcp));
      expect(r.ok && toHex(r.packet)).toBe(toHex(RTCP));
      expect(r.ok && r.index).toBe(0x5d4);
    });

    it(`${c.profile} rejects the vector with one flipped bit`, () => {
      const { rx } = contexts(c.profile, c.key, backend);
      const bad = hex(c.srtp);
      bad[20] = (bad[20] ?? 0) ^ 1;
      expect(rx.unprotect(bad)).toEqual({ ok: false, reason: 'auth_failed' });
      const badRtcp = hex(c.srtcp);
      badRtcp[5] = (badRtcp[5] ?? 0) ^ 1; // AAD (SSRC)
      expect(rx.unprotectRtcp(badRtcp)).toEqual({ ok: false, reason: 'auth_failed' });
      expect(rx.drops.toJSON()).toEqual({ 'srtp:auth_failed': 1, 'srtcp:auth_failed': 1 });
    });
  }

  it('AEAD_AES_128_GCM SRTCP with E = 0: authenticated, not encrypted (§17.3)', () => {
    const { rx } = contexts('AEAD_AES_128_GCM', KEY_128, backend);
    const tagged = hex(toHex(RTCP) + '841dd9683dd78ec92ae58790125f62b3000005d4');
    const r = rx.unprotectRtcp(tagged);
    expect(r.ok && toHex(r.packet)).toBe(toHex(RTCP));
  });
});
