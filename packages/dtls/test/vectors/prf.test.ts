import { createHmac } from 'node:crypto';
import { fromHex, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, cipherSuiteByName } from '../../src/index.js';
import { deriveSession } from '../../src/key-schedule.js';
import { computeMasterSecret, exportKeyingMaterial, prf, pskPreMasterSecret } from '../../src/prf.js';
import { keyBlockLength } from '../../src/record-cipher.js';

describe('TLS 1.2 PRF (published test vectors, IETF TLS WG msg03416)', () => {
  it('P_SHA256, 100 bytes', () => {
    const out = prf(
      'sha256',
      fromHex('9bbe436ba940f017b17652849a71db35'),
      'test label',
      fromHex('a0ba9f936cda311827a6f796ffd5198c'),
      100,
    );
    expect(toHex(out)).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
    );
  });

  it('P_SHA384, 148 bytes', () => {
    const out = prf(
      'sha384',
      fromHex('b80b733d6ceefcdc71566ea48e5567df'),
      'test label',
      fromHex('cd665cf6a8447dd6ff8b27555edb7465'),
      148,
    );
    expect(toHex(out)).toBe(
      '7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f',
    );
  });

  it('a short output is a prefix of a long one', () => {
    const s = fromHex('0102');
    expect(toHex(prf('sha256', s, 'x', s, 7))).toBe(toHex(prf('sha256', s, 'x', s, 70).subarray(0, 7)));
  });
});

describe('key schedule', () => {
  const clientRandom = Uint8Array.from({ length: 32 }, (_, i) => i);
  const serverRandom = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
  const preMaster = Uint8Array.from({ length: 32 }, (_, i) => 0x40 ^ i);

  it('master secret: classic seed is client_random + server_random; EMS uses the session hash', () => {
    const classic = computeMasterSecret('sha256', preMaster, clientRandom, serverRandom, undefined);
    const seed = new Uint8Array(64);
    seed.set(clientRandom, 0);
    seed.set(serverRandom, 32);
    expect(toHex(classic)).toBe(toHex(prf('sha256', preMaster, 'master secret', seed, 48)));
    const hash = new Uint8Array(32).fill(7);
    expect(toHex(computeMasterSecret('sha256', preMaster, clientRandom, serverRandom, hash))).toBe(
      toHex(prf('sha256', preMaster, 'extended master secret', hash, 48)),
    );
  });

  for (const suite of CIPHER_SUITES) {
    it(`key expansion for ${suite.name}: server_random first, AEAD key/IV split`, () => {
      const session = deriveSession(suite, preMaster, clientRandom, serverRandom, [], false);
      const seed = new Uint8Array(64);
      seed.set(serverRandom, 0);
      seed.set(clientRandom, 32);
      const block = prf(suite.hash, session.master, 'key expansion', seed, keyBlockLength(suite));
      expect(block.byteLength).toBe(2 * (suite.keyLength + suite.fixedIvLength));
      // The client's protection must equal one built from the first key; check by decrypting with an independent key.
      const record = session.keys.client.encrypt(23, 0xfefd, 1, 5, Uint8Array.of(1, 2, 3));
      const other = deriveSession(suite, preMaster, clientRandom, serverRandom, [], false);
      expect(toHex(other.keys.client.decrypt(23, 0xfefd, 1, 5, record) ?? new Uint8Array())).toBe('010203');
      expect(other.keys.server.decrypt(23, 0xfefd, 1, 5, record)).toBeUndefined();
    });
  }

  it('PSK pre-master secret layout (RFC 4279 §2)', () => {
    expect(toHex(pskPreMasterSecret(fromHex('aabb')))).toBe('000200000002aabb');
  });

  it('exporter with and without context (RFC 5705 §4)', () => {
    const master = new Uint8Array(48).fill(3);
    const seed = new Uint8Array(64);
    seed.set(clientRandom, 0);
    seed.set(serverRandom, 32);
    expect(toHex(exportKeyingMaterial('sha256', master, clientRandom, serverRandom, 'EXTRACTOR-dtls_srtp', 60))).toBe(
      toHex(prf('sha256', master, 'EXTRACTOR-dtls_srtp', seed, 60)),
    );
    const withCtx = new Uint8Array(64 + 2 + 3);
    withCtx.set(seed, 0);
    withCtx.set(Uint8Array.of(0, 3, 9, 9, 9), 64);
    expect(
      toHex(exportKeyingMaterial('sha256', master, clientRandom, serverRandom, 'L', 20, Uint8Array.of(9, 9, 9))),
    ).toBe(toHex(prf('sha256', master, 'L', withCtx, 20)));
  });

  it('P_hash matches a hand-rolled HMAC chain', () => {
    const secret = fromHex('0f0e0d');
    const seed = new TextEncoder().encode('labelseed');
    const a1 = createHmac('sha384', secret).update(seed).digest();
    const p1 = createHmac('sha384', secret).update(a1).update(seed).digest();
    expect(toHex(prf('sha384', secret, 'label', new TextEncoder().encode('seed'), 48))).toBe(toHex(p1));
    expect(cipherSuiteByName('TLS_PSK_WITH_AES_128_CCM_8')?.tagLength).toBe(8);
  });
});
