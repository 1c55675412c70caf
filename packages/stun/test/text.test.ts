import { toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { crc32, formatIPv6, parseIPv4, parseIPv6, saslPrep } from '../src/index.js';

describe('SASLprep (RFC 4013)', () => {
  it('leaves printable ASCII alone', () => {
    expect(saslPrep('user:pass 1')).toBe('user:pass 1');
  });
  it('maps soft hyphen to nothing and NFKC-normalises (RFC 4013 §3 examples)', () => {
    expect(saslPrep('I\u00adX')).toBe('IX');
    expect(saslPrep('\u00aa')).toBe('a');
    expect(saslPrep('\u2168')).toBe('IX');
    expect(saslPrep('a\u00a0b')).toBe('a b');
  });
  it('rejects control characters', () => {
    expect(() => saslPrep('a\u0007\u00e9')).toThrow(/prohibited/);
  });
});

describe('IP text', () => {
  it('parses and rejects IPv4', () => {
    expect(Array.from(parseIPv4('192.0.2.1') ?? [])).toEqual([192, 0, 2, 1]);
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1..2.3', ''])
      expect(parseIPv4(bad)).toBeUndefined();
  });
  it('parses IPv6 forms and formats canonically (RFC 5952)', () => {
    const cases: [string, string][] = [
      ['::', '::'],
      ['::1', '::1'],
      ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8::0:1', '2001:db8::1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['fe80::1%eth0', 'fe80::1'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
      ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
    ];
    for (const [input, canon] of cases) expect(formatIPv6(parseIPv6(input) as Uint8Array)).toBe(canon);
  });
  it('rejects malformed IPv6', () => {
    for (const bad of [
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      'g::1',
      '12345::',
      '1:2:3:4:5:6:7::8:9',
    ]) {
      expect(parseIPv6(bad)).toBeUndefined();
    }
  });
});

describe('CRC-32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
    expect(toHex(new Uint8Array([crc32(new Uint8Array(0))]))).toBe('00');
  });
});
