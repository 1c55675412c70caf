import { ParseError, fromHex, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { decodeAlert, decodeChangeCipherSpec, encodeAlert, encodeChangeCipherSpec } from '../src/alert.js';
import { ExtensionType, HandshakeType } from '../src/constants.js';
import {
  decodeCertificate,
  decodeCertificateRequest,
  decodeCertificateVerify,
  decodeFinished,
  encodeCertificate,
  encodeCertificateRequest,
  encodeCertificateVerify,
} from '../src/handshake/certificate-messages.js';
import {
  decodeEcPointFormats,
  decodeRenegotiationInfo,
  decodeSignatureAlgorithms,
  decodeSupportedGroups,
  decodeUseSrtp,
  encodeEcPointFormats,
  encodeRenegotiationInfo,
  encodeSignatureAlgorithms,
  encodeSupportedGroups,
  encodeUseSrtp,
} from '../src/handshake/extensions.js';
import { decodeHandshakeFragments, encodeHandshakeFragment, encodeHandshakeMessage } from '../src/handshake/header.js';
import {
  type ClientHello,
  type ServerHello,
  decodeClientHello,
  decodeHelloVerifyRequest,
  decodeServerHello,
  encodeClientHello,
  encodeHelloVerifyRequest,
  encodeServerHello,
} from '../src/handshake/hello.js';
import {
  type ClientKeyExchange,
  type ServerKeyExchange,
  decodeClientKeyExchange,
  decodeServerKeyExchange,
  encodeClientKeyExchange,
  encodeServerKeyExchange,
} from '../src/handshake/key-exchange-messages.js';
import { decodeRecords, encodeRecord } from '../src/record.js';

const bytes = (n: number, base = 0) => Uint8Array.from({ length: n }, (_, i) => (base + i) & 0xff);

const clientHello: ClientHello = {
  clientVersion: 0xfefd,
  random: bytes(32),
  sessionId: new Uint8Array(0),
  cookie: bytes(20, 100),
  cipherSuites: [0xc02b, 0xcca9],
  compressionMethods: [0],
  extensions: [encodeSupportedGroups([29, 23]), encodeUseSrtp({ profiles: [7, 1], mki: new Uint8Array(0) })],
};

const serverHello: ServerHello = {
  serverVersion: 0xfefd,
  random: bytes(32, 50),
  sessionId: bytes(4),
  cipherSuite: 0xc02b,
  compressionMethod: 0,
  extensions: [{ type: ExtensionType.extended_master_secret, data: new Uint8Array(0) }],
};

/** Every strict prefix of a valid encoding must fail with ParseError (never another error). */
function expectTruncationsFail(encoded: Uint8Array, decode: (b: Uint8Array) => unknown, validPrefix?: number): void {
  for (let n = 0; n < encoded.byteLength; n++) {
    if (n === validPrefix) continue; // the same message without its optional extensions block
    expect(() => decode(encoded.subarray(0, n)), `prefix ${n}`).toThrow(ParseError);
  }
}

describe('handshake message codecs', () => {
  it('ClientHello round-trips and rejects truncation and trailing bytes', () => {
    const enc = encodeClientHello(clientHello);
    expect(decodeClientHello(enc)).toEqual(clientHello);
    expectTruncationsFail(enc, decodeClientHello, encodeClientHello({ ...clientHello, extensions: [] }).byteLength);
    const extra = new Uint8Array(enc.byteLength + 1);
    extra.set(enc);
    expect(() => decodeClientHello(extra)).toThrow(ParseError);
  });

  it('ClientHello golden prefix: version, random, empty session, cookie', () => {
    const enc = encodeClientHello({ ...clientHello, extensions: [] });
    expect(toHex(enc.subarray(0, 2))).toBe('fefd');
    expect(enc[34]).toBe(0);
    expect(enc[35]).toBe(20);
    expect(toHex(enc.subarray(56))).toBe('0004c02bcca90100');
  });

  it('HelloVerifyRequest golden bytes', () => {
    const enc = encodeHelloVerifyRequest({ serverVersion: 0xfeff, cookie: fromHex('aabbcc') });
    expect(toHex(enc)).toBe('feff03aabbcc');
    expect(decodeHelloVerifyRequest(enc)).toEqual({ serverVersion: 0xfeff, cookie: fromHex('aabbcc') });
    expectTruncationsFail(enc, decodeHelloVerifyRequest);
  });

  it('ServerHello round-trips (with and without extensions)', () => {
    expect(decodeServerHello(encodeServerHello(serverHello))).toEqual(serverHello);
    const bare = { ...serverHello, extensions: [] };
    expect(decodeServerHello(encodeServerHello(bare))).toEqual(bare);
    expectTruncationsFail(encodeServerHello(serverHello), decodeServerHello, encodeServerHello(bare).byteLength);
  });

  it('Certificate round-trips; empty list allowed, empty certificate rejected', () => {
    const chain = [bytes(300), bytes(5, 9)];
    expect(decodeCertificate(encodeCertificate(chain))).toEqual(chain);
    expect(decodeCertificate(encodeCertificate([]))).toEqual([]);
    expect(toHex(encodeCertificate([fromHex('01')]))).toBe('00000400000101');
    expect(() => decodeCertificate(fromHex('000003000000'))).toThrow(ParseError);
    expectTruncationsFail(encodeCertificate(chain), decodeCertificate);
  });

  it('CertificateRequest, CertificateVerify and Finished', () => {
    const req = {
      certificateTypes: [64, 1],
      signatureAlgorithms: [0x0403, 0x0804],
      certificateAuthorities: [bytes(3)],
    };
    expect(decodeCertificateRequest(encodeCertificateRequest(req))).toEqual(req);
    expectTruncationsFail(encodeCertificateRequest(req), decodeCertificateRequest);
    const cv = { algorithm: 0x0403, signature: bytes(70) };
    expect(decodeCertificateVerify(encodeCertificateVerify(cv))).toEqual(cv);
    expectTruncationsFail(encodeCertificateVerify(cv), decodeCertificateVerify);
    expect(decodeFinished(bytes(12))).toEqual(bytes(12));
    expect(() => decodeFinished(bytes(11))).toThrow(ParseError);
  });

  it('ServerKeyExchange (ECDHE and PSK hint) and ClientKeyExchange (ECDHE and PSK)', () => {
    const ecdhe: ServerKeyExchange = {
      kind: 'ecdhe',
      group: 29,
      publicKey: bytes(32),
      algorithm: 0x0403,
      signature: bytes(71),
    };
    const e = encodeServerKeyExchange(ecdhe);
    expect(toHex(e.subarray(0, 4))).toBe('03001d20');
    expect(decodeServerKeyExchange(e, 'ecdhe')).toEqual(ecdhe);
    expectTruncationsFail(e, (b) => decodeServerKeyExchange(b, 'ecdhe'));
    const psk: ServerKeyExchange = { kind: 'psk', identityHint: bytes(4) };
    expect(decodeServerKeyExchange(encodeServerKeyExchange(psk), 'psk')).toEqual(psk);
    expect(() => decodeServerKeyExchange(fromHex('01001d0101'), 'ecdhe')).toThrow(ParseError);
    const c1: ClientKeyExchange = { kind: 'ecdhe', publicKey: bytes(65) };
    const c2: ClientKeyExchange = { kind: 'psk', identity: bytes(8) };
    expect(decodeClientKeyExchange(encodeClientKeyExchange(c1), 'ecdhe')).toEqual(c1);
    expect(toHex(encodeClientKeyExchange(c2))).toBe('00080001020304050607');
    expect(decodeClientKeyExchange(encodeClientKeyExchange(c2), 'psk')).toEqual(c2);
    expectTruncationsFail(encodeClientKeyExchange(c1), (b) => decodeClientKeyExchange(b, 'ecdhe'));
  });

  it('extensions round-trip', () => {
    expect(decodeSupportedGroups(encodeSupportedGroups([29, 23, 24]).data)).toEqual([29, 23, 24]);
    expect(decodeEcPointFormats(encodeEcPointFormats().data)).toEqual([0]);
    expect(decodeSignatureAlgorithms(encodeSignatureAlgorithms([0x0403]).data)).toEqual([0x0403]);
    expect(toHex(encodeUseSrtp({ profiles: [7, 1], mki: new Uint8Array(0) }).data)).toBe('00040007000100');
    expect(decodeUseSrtp(fromHex('00040007000100'))).toEqual({ profiles: [7, 1], mki: new Uint8Array(0) });
    expect(toHex(encodeRenegotiationInfo().data)).toBe('00');
    expect(decodeRenegotiationInfo(fromHex('00'))).toEqual(new Uint8Array(0));
    expect(() => decodeSupportedGroups(fromHex('0003001d00'))).toThrow(ParseError);
    expect(() => decodeUseSrtp(fromHex('0000'))).toThrow(ParseError);
  });
});

describe('Alert and ChangeCipherSpec', () => {
  it('round-trip with golden bytes and reject bad lengths', () => {
    expect(toHex(encodeAlert({ level: 2, description: 42 }))).toBe('022a');
    expect(decodeAlert(fromHex('0100'))).toEqual({ level: 1, description: 0 });
    expect(() => decodeAlert(fromHex('02'))).toThrow(ParseError);
    expect(() => decodeAlert(fromHex('022a00'))).toThrow(ParseError);
    expect(toHex(encodeChangeCipherSpec())).toBe('01');
    expect(() => decodeChangeCipherSpec(encodeChangeCipherSpec())).not.toThrow();
    expect(() => decodeChangeCipherSpec(fromHex('02'))).toThrow(ParseError);
    expect(() => decodeChangeCipherSpec(fromHex(''))).toThrow(ParseError);
  });
});

describe('handshake header and records', () => {
  it('handshake header golden bytes and fragments', () => {
    const msg = encodeHandshakeMessage(HandshakeType.finished, 3, bytes(12));
    expect(toHex(msg.subarray(0, 12))).toBe('1400000c000300000000000c');
    const frag = encodeHandshakeFragment(HandshakeType.certificate, 2, bytes(100), 40, 30);
    expect(toHex(frag.subarray(0, 12))).toBe('0b0000640002000028' + '00001e');
    const [f] = decodeHandshakeFragments(frag);
    expect(f).toEqual({
      msgType: 11,
      length: 100,
      messageSeq: 2,
      fragmentOffset: 40,
      body: bytes(100).subarray(40, 70),
    });
    expect(decodeHandshakeFragments(new Uint8Array([...msg, ...frag])).length).toBe(2);
    expect(() => decodeHandshakeFragments(fromHex('0b0000640002000060000010'))).toThrow(ParseError);
    expectTruncationsFail(msg, (b) =>
      b.byteLength === 0 ? decodeHandshakeFragments(fromHex('01')) : decodeHandshakeFragments(b),
    );
  });

  it('record golden bytes, several records per datagram, bad version', () => {
    const rec = { contentType: 22, version: 0xfefd, epoch: 1, sequenceNumber: 0x0102030405, fragment: fromHex('abcd') };
    const enc = encodeRecord(rec);
    expect(toHex(enc)).toBe('16fefd00010001020304050002abcd');
    expect(decodeRecords(new Uint8Array([...enc, ...enc]))).toEqual([rec, rec]);
    expect(() => decodeRecords(enc.subarray(0, 14))).toThrow(ParseError);
    expect(() => decodeRecords(fromHex('160303000100000000000000'))).toThrow(ParseError);
  });
});
