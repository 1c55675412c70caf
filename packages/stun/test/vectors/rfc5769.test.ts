import { bytesEqual, fromHex, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  Attr,
  AttrType,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  longTermKey,
  shortTermKey,
  StunMethod,
  type StunMessage,
  verifyFingerprint,
  verifyIntegrity,
} from '../../src/index.js';

// RFC 5769 §2: test vectors for STUN (RFC 5389, unchanged in RFC 8489).
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';

const sampleRequest = fromHex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);

const ipv4Response = fromHex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);

const ipv6Response = fromHex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);

const longTermRequest = fromHex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);

/** Drop MI and FINGERPRINT so the message can be re-encoded with fresh ones. */
function withoutTrailer(m: StunMessage): StunMessage {
  return {
    ...m,
    attributes: m.attributes.filter((a) => a.type !== AttrType.MESSAGE_INTEGRITY && a.type !== AttrType.FINGERPRINT),
  };
}

/**
 * The §2.1–2.3 vectors pad with spaces (RFC 5389 allowed any padding; RFC 8489 §14 requires zeros),
 * so their MI/FINGERPRINT cover different bytes than a conforming re-encoding. We compare
 * everything before MESSAGE-INTEGRITY with padding zeroed, then check our own trailer verifies.
 */
function zeroPadding(raw: Uint8Array, upTo: number): Uint8Array {
  const out = raw.slice(0, upTo);
  const dv = new DataView(out.buffer);
  for (let at = 20; at < upTo; ) {
    const len = dv.getUint16(at + 2);
    out.fill(0, at + 4 + len, at + 4 + ((len + 3) & ~3));
    at += 4 + ((len + 3) & ~3);
  }
  return out;
}

describe('RFC 5769 §2.1 sample request', () => {
  const msg = decodeStunMessage(sampleRequest);
  const key = shortTermKey(PASSWORD);

  it('decodes every attribute', () => {
    expect(msg.class).toBe('request');
    expect(msg.method).toBe(StunMethod.BINDING);
    expect(getAttribute(msg, Attr.SOFTWARE)).toBe('STUN test client');
    expect(getAttribute(msg, Attr.PRIORITY)).toBe(0x6e0001ff);
    expect(getAttribute(msg, Attr.ICE_CONTROLLED)).toBe(0x932ff9b151263b36n);
    expect(getAttribute(msg, Attr.USERNAME)).toBe('evtj:h6vY');
  });

  it('verifies MESSAGE-INTEGRITY and FINGERPRINT', () => {
    expect(verifyIntegrity(sampleRequest, key, 'sha1')).toBe(true);
    expect(verifyFingerprint(sampleRequest)).toBe(true);
    expect(verifyIntegrity(sampleRequest, shortTermKey('wrong'), 'sha1')).toBe(false);
  });

  it('re-encodes identically up to the integrity attribute, with a verifying trailer', () => {
    const out = encodeStunMessage(withoutTrailer(msg), { integrity: { key }, fingerprint: true });
    expect(out.byteLength).toBe(sampleRequest.byteLength);
    const miAt = sampleRequest.byteLength - 24 - 8;
    expect(bytesEqual(out.subarray(4, miAt), zeroPadding(sampleRequest, miAt).subarray(4))).toBe(true);
    expect(bytesEqual(out.subarray(0, 4), sampleRequest.subarray(0, 4))).toBe(true);
    expect(verifyIntegrity(out, key)).toBe(true);
    expect(verifyFingerprint(out)).toBe(true);
  });
});

describe('RFC 5769 §2.2 and §2.3 sample responses', () => {
  const key = shortTermKey(PASSWORD);
  const cases = [
    { name: 'IPv4', raw: ipv4Response, address: '192.0.2.1' },
    { name: 'IPv6', raw: ipv6Response, address: '2001:db8:1234:5678:11:2233:4455:6677' },
  ];
  for (const c of cases) {
    it(`${c.name}: decodes XOR-MAPPED-ADDRESS, verifies, re-encodes`, () => {
      const msg = decodeStunMessage(c.raw);
      expect(msg.class).toBe('success');
      expect(getAttribute(msg, Attr.SOFTWARE)).toBe('test vector');
      expect(getAttribute(msg, Attr.XOR_MAPPED_ADDRESS)).toEqual({ address: c.address, port: 32853, family: c.name });
      expect(verifyIntegrity(c.raw, key, 'sha1')).toBe(true);
      expect(verifyFingerprint(c.raw)).toBe(true);

      const rebuilt = encodeStunMessage(
        {
          class: 'success',
          method: StunMethod.BINDING,
          transactionId: msg.transactionId,
          attributes: [
            { type: AttrType.SOFTWARE, value: new TextEncoder().encode('test vector') },
            {
              type: AttrType.XOR_MAPPED_ADDRESS,
              value: Attr.XOR_MAPPED_ADDRESS.encode(
                { address: c.address, port: 32853, family: c.name as 'IPv4' },
                msg.transactionId,
              ),
            },
          ],
        },
        { integrity: { key }, fingerprint: true },
      );
      const miAt = c.raw.byteLength - 32;
      expect(rebuilt.byteLength).toBe(c.raw.byteLength);
      expect(bytesEqual(rebuilt.subarray(4, miAt), zeroPadding(c.raw, miAt).subarray(4))).toBe(true);
      expect(verifyIntegrity(rebuilt, key)).toBe(true);
      expect(verifyFingerprint(rebuilt)).toBe(true);
    });
  }
});

describe('RFC 5769 §2.4 long-term credentials', () => {
  const username = '\u30de\u30c8\u30ea\u30c3\u30af\u30b9';
  const password = 'The\u00adM\u00aatr\u2168';
  const realm = 'example.org';

  it('derives the SASLprep key and verifies MESSAGE-INTEGRITY', () => {
    const msg = decodeStunMessage(longTermRequest);
    expect(getAttribute(msg, Attr.USERNAME)).toBe(username);
    expect(getAttribute(msg, Attr.REALM)).toBe(realm);
    expect(getAttribute(msg, Attr.NONCE)).toBe('f//499k954d6OL34oL9FSTvy64sA');
    const key = longTermKey(username, realm, password, 'md5');
    // MD5("マトリックス:example.org:TheMatrIX")
    expect(bytesEqual(key, longTermKey(username, realm, 'TheMatrIX', 'md5'))).toBe(true);
    expect(verifyIntegrity(longTermRequest, key, 'sha1')).toBe(true);
    expect(verifyIntegrity(longTermRequest, longTermKey(username, realm, 'TheMatrix', 'md5'), 'sha1')).toBe(false);
  });

  it('re-encodes byte-exact (zero padding in this vector)', () => {
    const msg = decodeStunMessage(longTermRequest);
    const key = longTermKey(username, realm, password);
    const out = encodeStunMessage(withoutTrailer(msg), { integrity: { key } });
    expect(toHex(out)).toBe(toHex(longTermRequest));
  });
});
