import { fromHex, isParseError, ParseError, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  Attr,
  type AttributeCodec,
  AttrType,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  getAttributes,
  makeAttribute,
  StunMethod,
  unknownRequiredAttributes,
} from '../src/index.js';

const tid = fromHex('b7e7a701bc34d686fa87dfae');

function roundTrip<T>(codec: AttributeCodec<T>, value: T, golden: string): void {
  const encoded = codec.encode(value, tid);
  expect(toHex(encoded)).toBe(golden.replace(/\s/g, ''));
  expect(codec.decode(encoded, tid)).toEqual(value);
}

function rejects<T>(codec: AttributeCodec<T>, hex: string): void {
  let caught: unknown;
  try {
    codec.decode(fromHex(hex), tid);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ParseError);
}

describe('address attributes (RFC 8489 §14.1, §14.2)', () => {
  it('MAPPED-ADDRESS IPv4 and IPv6', () => {
    roundTrip(Attr.MAPPED_ADDRESS, { address: '192.0.2.1', port: 32853, family: 'IPv4' }, '0001 8055 c0000201');
    roundTrip(
      Attr.MAPPED_ADDRESS,
      { address: '2001:db8::1', port: 1, family: 'IPv6' },
      '0002 0001 20010db8000000000000000000000001',
    );
    roundTrip(Attr.ALTERNATE_SERVER, { address: '10.0.0.1', port: 3478, family: 'IPv4' }, '0001 0d96 0a000001');
  });
  it('XOR-MAPPED-ADDRESS matches RFC 5769 bytes for IPv4 and IPv6', () => {
    roundTrip(Attr.XOR_MAPPED_ADDRESS, { address: '192.0.2.1', port: 32853, family: 'IPv4' }, '0001a147e112a643');
    roundTrip(
      Attr.XOR_PEER_ADDRESS,
      { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853, family: 'IPv6' },
      '0002a1470113a9faa5d3f179bc25f4b5bed2b9d9',
    );
    roundTrip(Attr.XOR_RELAYED_ADDRESS, { address: '127.0.0.1', port: 50000, family: 'IPv4' }, '0001e2425e12a443');
  });
  it('decoding an XOR address from a Node Buffer leaves the datagram unchanged (Buffer.slice is a view)', () => {
    const msg = encodeStunMessage({
      class: 'success',
      method: StunMethod.BINDING,
      transactionId: tid,
      attributes: [makeAttribute(Attr.XOR_MAPPED_ADDRESS, { address: '192.0.2.10', port: 50000, family: 'IPv4' }, tid)],
    });
    const datagram = Buffer.concat([Buffer.alloc(7), Buffer.from(msg)]).subarray(7); // pooled, offset view
    const before = Buffer.from(datagram);
    const first = getAttribute(decodeStunMessage(datagram), Attr.XOR_MAPPED_ADDRESS);
    const second = getAttribute(decodeStunMessage(datagram), Attr.XOR_MAPPED_ADDRESS);
    expect(first).toEqual({ address: '192.0.2.10', port: 50000, family: 'IPv4' });
    expect(second).toEqual(first);
    expect(datagram.equals(before)).toBe(true);
  });

  it('IPv6 XOR needs the transaction id', () => {
    expect(() => Attr.XOR_MAPPED_ADDRESS.encode({ address: '::1', port: 1, family: 'IPv6' })).toThrow(/transaction id/);
  });
  it('rejects bad lengths and family/length mismatch', () => {
    rejects(Attr.MAPPED_ADDRESS, '0001000a0000');
    rejects(Attr.MAPPED_ADDRESS, '00020001c0000201');
    rejects(Attr.XOR_MAPPED_ADDRESS, '00010001c0000201000000000000000000000000');
    rejects(Attr.XOR_MAPPED_ADDRESS, '');
  });
  it('local misuse throws, not ParseError', () => {
    expect(() => Attr.MAPPED_ADDRESS.encode({ address: 'nope', port: 1, family: 'IPv4' })).toThrow(/not an IP/);
    expect(() => Attr.MAPPED_ADDRESS.encode({ address: '1.2.3.4', port: 70000, family: 'IPv4' })).toThrow(RangeError);
  });
});

describe('text and opaque attributes', () => {
  it('USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN round trip', () => {
    roundTrip(Attr.USERNAME, 'evtj:h6vY', '6576746a3a68367659');
    roundTrip(Attr.REALM, 'example.org', '6578616d706c652e6f7267');
    roundTrip(Attr.NONCE, 'n', '6e');
    roundTrip(Attr.SOFTWARE, 'é', 'c3a9');
    roundTrip(Attr.ALTERNATE_DOMAIN, 'turn.example', '7475726e2e6578616d706c65');
  });
  it('rejects invalid UTF-8 and over-long values', () => {
    rejects(Attr.USERNAME, 'ff');
    rejects(Attr.USERNAME, '61'.repeat(513));
    rejects(Attr.ALTERNATE_DOMAIN, '61'.repeat(256));
    expect(() => Attr.REALM.encode('x'.repeat(764))).toThrow(RangeError);
  });
  it('USERHASH, MESSAGE-INTEGRITY(-SHA256), RESERVATION-TOKEN check lengths', () => {
    roundTrip(Attr.USERHASH, new Uint8Array(32).fill(7), '07'.repeat(32));
    rejects(Attr.USERHASH, '07'.repeat(31));
    rejects(Attr.MESSAGE_INTEGRITY, '00'.repeat(19));
    roundTrip(Attr.MESSAGE_INTEGRITY_SHA256, new Uint8Array(16).fill(1), '01'.repeat(16));
    rejects(Attr.MESSAGE_INTEGRITY_SHA256, '00'.repeat(18));
    rejects(Attr.MESSAGE_INTEGRITY_SHA256, '00'.repeat(36));
    roundTrip(Attr.RESERVATION_TOKEN, fromHex('0102030405060708'), '0102030405060708');
    rejects(Attr.RESERVATION_TOKEN, '01');
    roundTrip(Attr.DATA, fromHex('deadbeef01'), 'deadbeef01');
  });
});

describe('numeric and flag attributes', () => {
  it('PRIORITY, LIFETIME, FINGERPRINT are u32', () => {
    roundTrip(Attr.PRIORITY, 0x6e0001ff, '6e0001ff');
    roundTrip(Attr.LIFETIME, 600, '00000258');
    roundTrip(Attr.FINGERPRINT, 0xe57a3bcf, 'e57a3bcf');
    rejects(Attr.LIFETIME, '000258');
    expect(() => Attr.PRIORITY.encode(-1)).toThrow(RangeError);
  });
  it('ICE-CONTROLLING/CONTROLLED are u64', () => {
    roundTrip(Attr.ICE_CONTROLLED, 0x932ff9b151263b36n, '932ff9b151263b36');
    roundTrip(Attr.ICE_CONTROLLING, 1n, '0000000000000001');
    rejects(Attr.ICE_CONTROLLING, '00');
  });
  it('USE-CANDIDATE and DONT-FRAGMENT are empty', () => {
    roundTrip(Attr.USE_CANDIDATE, true, '');
    roundTrip(Attr.DONT_FRAGMENT, true, '');
    rejects(Attr.USE_CANDIDATE, '00');
  });
});

describe('structured attributes', () => {
  it('ERROR-CODE (RFC 8489 §14.8)', () => {
    roundTrip(Attr.ERROR_CODE, { code: 401, reason: 'Unauthorized' }, '00000401' + '556e617574686f72697a6564');
    roundTrip(Attr.ERROR_CODE, { code: 438, reason: '' }, '00000426');
    rejects(Attr.ERROR_CODE, '000002');
    rejects(Attr.ERROR_CODE, '00000200');
    rejects(Attr.ERROR_CODE, '00000464');
    rejects(Attr.ERROR_CODE, '00000401ff');
    expect(() => Attr.ERROR_CODE.encode({ code: 200, reason: '' })).toThrow(RangeError);
  });
  it('UNKNOWN-ATTRIBUTES', () => {
    roundTrip(Attr.UNKNOWN_ATTRIBUTES, [0x0002, 0x7fff], '00027fff');
    rejects(Attr.UNKNOWN_ATTRIBUTES, '000');
    rejects(Attr.UNKNOWN_ATTRIBUTES, '000200');
  });
  it('PASSWORD-ALGORITHM(S) (RFC 8489 §14.11, §14.12)', () => {
    roundTrip(Attr.PASSWORD_ALGORITHM, { algorithm: 2, parameters: new Uint8Array(0) }, '00020000');
    roundTrip(
      Attr.PASSWORD_ALGORITHMS,
      [
        { algorithm: 2, parameters: new Uint8Array(0) },
        { algorithm: 1, parameters: fromHex('aa') },
      ],
      '00020000' + '00010001aa000000',
    );
    rejects(Attr.PASSWORD_ALGORITHMS, '000100');
    rejects(Attr.PASSWORD_ALGORITHMS, '00010008aa000000');
    rejects(Attr.PASSWORD_ALGORITHM, '0002000000010000');
  });
  it('TURN: CHANNEL-NUMBER, REQUESTED-TRANSPORT, *-ADDRESS-FAMILY, EVEN-PORT', () => {
    roundTrip(Attr.CHANNEL_NUMBER, 0x4001, '40010000');
    roundTrip(Attr.REQUESTED_TRANSPORT, 17, '11000000');
    roundTrip(Attr.REQUESTED_ADDRESS_FAMILY, 2, '02000000');
    roundTrip(Attr.ADDITIONAL_ADDRESS_FAMILY, 2, '02000000');
    roundTrip(Attr.EVEN_PORT, { reserve: true }, '80');
    roundTrip(Attr.EVEN_PORT, { reserve: false }, '00');
    rejects(Attr.CHANNEL_NUMBER, '4001');
    rejects(Attr.REQUESTED_TRANSPORT, '11');
    rejects(Attr.EVEN_PORT, '8000');
  });
  it('ADDRESS-ERROR-CODE and ICMP (RFC 8656 §18.13, §18.14)', () => {
    roundTrip(Attr.ADDRESS_ERROR_CODE, { family: 2, code: 440, reason: 'x' }, '0200042878');
    rejects(Attr.ADDRESS_ERROR_CODE, '020004');
    rejects(Attr.ADDRESS_ERROR_CODE, '02000700');
    roundTrip(Attr.ICMP, { icmpType: 3, icmpCode: 1, errorData: 0x01020304 }, '0000030101020304');
    rejects(Attr.ICMP, '00000301');
  });
});

describe('attributes inside messages', () => {
  it('getAttribute wraps and getAttributes lists repeats', () => {
    const peers = [
      { address: '10.0.0.1', port: 1000, family: 'IPv4' as const },
      { address: 'fe80::1', port: 2000, family: 'IPv6' as const },
    ];
    const raw = encodeStunMessage({
      class: 'request',
      method: StunMethod.CREATE_PERMISSION,
      transactionId: tid,
      attributes: peers.map((p) => makeAttribute(Attr.XOR_PEER_ADDRESS, p, tid)),
    });
    const msg = decodeStunMessage(raw);
    expect(getAttributes(msg, Attr.XOR_PEER_ADDRESS)).toEqual(peers);
    expect(getAttribute(msg, Attr.LIFETIME)).toBeUndefined();
  });
  it('malformed attribute values surface as ParseError from getAttribute', () => {
    const msg = decodeStunMessage(
      encodeStunMessage({
        class: 'success',
        method: StunMethod.BINDING,
        transactionId: tid,
        attributes: [{ type: AttrType.XOR_MAPPED_ADDRESS, value: fromHex('0001') }],
      }),
    );
    let err: unknown;
    try {
      getAttribute(msg, Attr.XOR_MAPPED_ADDRESS);
    } catch (e) {
      err = e;
    }
    expect(isParseError(err)).toBe(true);
    // The offset points into the whole message: 20-byte header + 4-byte attribute header.
    expect((err as ParseError).offset).toBe(24);
    expect((err as ParseError).code).toBe('stun_bad_attribute');
  });
  it('reports unknown comprehension-required attributes, keeps optional ones', () => {
    const msg = decodeStunMessage(
      encodeStunMessage({
        class: 'request',
        method: StunMethod.BINDING,
        transactionId: tid,
        attributes: [
          { type: 0x7777, value: fromHex('01') },
          { type: 0xc001, value: fromHex('02') },
          { type: 0x7777, value: fromHex('03') },
          makeAttribute(Attr.PRIORITY, 1),
        ],
      }),
    );
    expect(unknownRequiredAttributes(msg)).toEqual([0x7777]);
    expect(msg.attributes.map((a) => a.type)).toEqual([0x7777, 0xc001, 0x7777, AttrType.PRIORITY]);
  });
});
