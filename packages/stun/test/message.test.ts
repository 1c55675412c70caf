import { createHmac } from 'node:crypto';
import { fromHex, isParseError, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  Attr,
  AttrType,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  hasFingerprint,
  isStunMessage,
  longTermKey,
  makeAttribute,
  shortTermKey,
  StunMethod,
  stunMessageType,
  verifyFingerprint,
  verifyIntegrity,
} from '../src/index.js';

const tid = fromHex('0102030405060708090a0b0c');

function parseErrorCode(bytes: Uint8Array): string | undefined {
  try {
    decodeStunMessage(bytes);
    return undefined;
  } catch (err) {
    expect(isParseError(err)).toBe(true);
    return (err as { code: string }).code;
  }
}

describe('message type (RFC 8489 §5)', () => {
  it('interleaves class and method bits', () => {
    expect(stunMessageType('request', StunMethod.BINDING)).toBe(0x0001);
    expect(stunMessageType('success', StunMethod.BINDING)).toBe(0x0101);
    expect(stunMessageType('error', StunMethod.BINDING)).toBe(0x0111);
    expect(stunMessageType('indication', StunMethod.SEND)).toBe(0x0016);
    expect(stunMessageType('indication', StunMethod.DATA)).toBe(0x0017);
    expect(stunMessageType('error', StunMethod.ALLOCATE)).toBe(0x0113);
    expect(stunMessageType('request', 0xfff)).toBe(0x3eef);
  });
  it('decodes every class and a large method', () => {
    for (const cls of ['request', 'indication', 'success', 'error'] as const) {
      const m = decodeStunMessage(encodeStunMessage({ class: cls, method: 0xabc, transactionId: tid, attributes: [] }));
      expect(m.class).toBe(cls);
      expect(m.method).toBe(0xabc);
    }
  });
});

describe('golden bytes', () => {
  it('encodes a Binding request with zero padding', () => {
    const out = encodeStunMessage({
      class: 'request',
      method: StunMethod.BINDING,
      transactionId: tid,
      attributes: [makeAttribute(Attr.USERNAME, 'abcde')],
    });
    expect(toHex(out)).toBe('0001000c2112a4420102030405060708090a0b0c' + '00060005' + '6162636465000000');
    expect(isStunMessage(out)).toBe(true);
  });
});

describe('decoder rejects malformed input with ParseError', () => {
  const good = encodeStunMessage({
    class: 'request',
    method: 1,
    transactionId: tid,
    attributes: [makeAttribute(Attr.PRIORITY, 5)],
  });
  it('truncated header', () => {
    expect(parseErrorCode(good.subarray(0, 10))).toBe('truncated');
  });
  it('top bits set', () => {
    const b = good.slice();
    b[0] = 0x80;
    expect(parseErrorCode(b)).toBe('stun_not_stun');
  });
  it('bad cookie', () => {
    const b = good.slice();
    b[4] = 0;
    expect(parseErrorCode(b)).toBe('stun_bad_cookie');
  });
  it('length not multiple of 4 / not matching', () => {
    const b = good.slice();
    b[3] = 7;
    expect(parseErrorCode(b)).toBe('stun_bad_length');
    b[3] = 4;
    expect(parseErrorCode(b)).toBe('stun_bad_length');
  });
  it('attribute overruns the message', () => {
    const b = good.slice();
    b[23] = 40;
    expect(parseErrorCode(b)).toBe('stun_bad_attribute');
  });
  it('missing padding', () => {
    const b = fromHex('000100082112a4420102030405060708090a0b0c' + '0006000561626364');
    expect(parseErrorCode(b)).toBe('stun_bad_attribute');
  });
  it('isStunMessage rejects non-STUN first bytes and bad lengths', () => {
    const b = good.slice();
    expect(isStunMessage(b)).toBe(true);
    b[0] = 0x40;
    expect(isStunMessage(b)).toBe(false);
    expect(isStunMessage(good.subarray(0, 24))).toBe(false);
    expect(isStunMessage(new Uint8Array(3))).toBe(false);
  });
});

describe('integrity and fingerprint', () => {
  const key = longTermKey('user', 'example.org', 'pass');
  const base = {
    class: 'request' as const,
    method: StunMethod.ALLOCATE,
    transactionId: tid,
    attributes: [makeAttribute(Attr.REQUESTED_TRANSPORT, 17), makeAttribute(Attr.USERNAME, 'user')],
  };

  it('MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) verifies, tampering fails', () => {
    const raw = encodeStunMessage(base, { integrity: { key, algorithm: 'sha256' }, fingerprint: true });
    expect(verifyIntegrity(raw, key, 'sha256')).toBe(true);
    expect(verifyIntegrity(raw, key)).toBe(true);
    expect(verifyIntegrity(raw, key, 'sha1')).toBe(false);
    expect(verifyFingerprint(raw)).toBe(true);
    const t = raw.slice();
    t[25] = (t[25] as number) ^ 1;
    expect(verifyIntegrity(t, key)).toBe(false);
    expect(verifyFingerprint(t)).toBe(false);
  });

  it('message without integrity or fingerprint', () => {
    const raw = encodeStunMessage(base);
    expect(verifyIntegrity(raw, key)).toBe(false);
    expect(verifyFingerprint(raw)).toBe(false);
    expect(hasFingerprint(raw)).toBe(false);
  });

  it('ignores attributes after MESSAGE-INTEGRITY except MI-SHA256 and FINGERPRINT (§14.5)', () => {
    const signed = encodeStunMessage(base, { integrity: { key } });
    // Append a SOFTWARE attribute after MI by hand (adjusting the header length).
    const extra = fromHex('802200026869' + '0000');
    const raw = new Uint8Array(signed.byteLength + extra.byteLength);
    raw.set(signed);
    raw.set(extra, signed.byteLength);
    raw[3] = (raw[3] as number) + extra.byteLength;
    const msg = decodeStunMessage(raw);
    expect(getAttribute(msg, Attr.SOFTWARE)).toBeUndefined();
    expect(msg.attributes.map((a) => a.type)).toEqual([
      AttrType.REQUESTED_TRANSPORT,
      AttrType.USERNAME,
      AttrType.MESSAGE_INTEGRITY,
    ]);
    expect(verifyIntegrity(raw, key)).toBe(true);
  });

  it('short-term key is the password bytes; long-term sha256 key differs from md5', () => {
    expect(toHex(shortTermKey('abc'))).toBe('616263');
    expect(longTermKey('u', 'r', 'p', 'sha256').byteLength).toBe(32);
    expect(longTermKey('u', 'r', 'p', 'md5').byteLength).toBe(16);
  });

  it('accepts a MESSAGE-INTEGRITY-SHA256 truncated to 16 bytes (§14.6), computed independently here', () => {
    const unsigned = encodeStunMessage(base);
    const covered = unsigned.slice();
    const len = unsigned.byteLength - 20 + 4 + 16;
    covered[2] = len >> 8;
    covered[3] = len & 0xff;
    const mac = createHmac('sha256', key).update(covered).digest().subarray(0, 16);
    const raw = new Uint8Array([...covered, 0x00, 0x1c, 0x00, 0x10, ...mac]);
    expect(verifyIntegrity(raw, key, 'sha256')).toBe(true);
    expect(verifyIntegrity(raw, key)).toBe(true);
    raw[raw.byteLength - 1] = (raw[raw.byteLength - 1] as number) ^ 1;
    expect(verifyIntegrity(raw, key)).toBe(false);
  });

  it('SHA-1 MESSAGE-INTEGRITY matches an independent HMAC over the adjusted header (§14.5)', () => {
    const raw = encodeStunMessage(base, { integrity: { key } });
    const covered = raw.slice(0, raw.byteLength - 24);
    const mac = createHmac('sha1', key).update(covered).digest();
    expect(toHex(raw.subarray(raw.byteLength - 20))).toBe(toHex(new Uint8Array(mac)));
    expect((covered[2] as number) * 256 + (covered[3] as number)).toBe(raw.byteLength - 20);
  });

  it('FINGERPRINT must be last: attributes after it are dropped and the check fails', () => {
    const raw = encodeStunMessage(base, { fingerprint: true });
    const extra = fromHex('80220004' + '61626364');
    const longer = new Uint8Array([...raw, ...extra]);
    longer[3] = (longer[3] as number) + extra.byteLength;
    const msg = decodeStunMessage(longer);
    expect(msg.attributes.at(-1)?.type).toBe(AttrType.FINGERPRINT);
    expect(getAttribute(msg, Attr.SOFTWARE)).toBeUndefined();
    expect(verifyFingerprint(raw)).toBe(true);
    expect(verifyFingerprint(longer)).toBe(false);
  });
});
