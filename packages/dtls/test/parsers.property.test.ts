import { ParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeCertificate,
  decodeCertificateRequest,
  decodeCertificateVerify,
  encodeCertificate,
} from '../src/handshake/certificate-messages.js';
import { decodeHandshakeFragments, encodeHandshakeFragment } from '../src/handshake/header.js';
import {
  type ClientHello,
  decodeClientHello,
  decodeHelloVerifyRequest,
  decodeServerHello,
  encodeClientHello,
  encodeServerHello,
} from '../src/handshake/hello.js';
import { decodeClientKeyExchange, decodeServerKeyExchange } from '../src/handshake/key-exchange-messages.js';
import { HandshakeReassembler } from '../src/handshake/reassembler.js';
import { decodeRecords, encodeRecord } from '../src/record.js';

const bytesArb = (max: number) => fc.uint8Array({ maxLength: max });
const u16 = fc.integer({ min: 0, max: 0xffff });

function onlyParseErrors(fn: (b: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(bytesArb(300), (b) => {
      try {
        fn(b);
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
      }
    }),
    { numRuns: 500 },
  );
}

describe('parser properties', () => {
  it('records: decode(encode(x)) = x', () => {
    const rec = fc.record({
      contentType: fc.integer({ min: 0, max: 255 }),
      version: fc.constantFrom(0xfefd, 0xfeff),
      epoch: u16,
      sequenceNumber: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
      fragment: bytesArb(200),
    });
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 4 }), (recs) => {
        const datagram = new Uint8Array(recs.flatMap((r) => [...encodeRecord(r)]));
        expect(decodeRecords(datagram)).toEqual(recs);
      }),
    );
  });

  it('ClientHello and ServerHello: decode(encode(x)) = x', () => {
    const ext = fc.record({ type: u16, data: bytesArb(40) });
    const ch = fc.record({
      clientVersion: u16,
      random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      sessionId: bytesArb(32),
      cookie: bytesArb(255),
      cipherSuites: fc.array(u16, { minLength: 1, maxLength: 20 }),
      compressionMethods: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 }),
      extensions: fc.array(ext, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(ch, (m: ClientHello) => {
        expect(decodeClientHello(encodeClientHello(m))).toEqual(m);
      }),
    );
    const sh = fc.record({
      serverVersion: u16,
      random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      sessionId: bytesArb(32),
      cipherSuite: u16,
      compressionMethod: fc.integer({ min: 0, max: 255 }),
      extensions: fc.array(ext, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(sh, (m) => {
        expect(decodeServerHello(encodeServerHello(m))).toEqual(m);
      }),
    );
  });

  it('Certificate: decode(encode(chain)) = chain', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 500 }), { maxLength: 4 }), (chain) => {
        expect(decodeCertificate(encodeCertificate(chain))).toEqual(chain);
      }),
    );
  });

  it('random bytes only ever raise ParseError', () => {
    onlyParseErrors(decodeRecords);
    onlyParseErrors(decodeHandshakeFragments);
    onlyParseErrors(decodeClientHello);
    onlyParseErrors(decodeServerHello);
    onlyParseErrors(decodeHelloVerifyRequest);
    onlyParseErrors(decodeCertificate);
    onlyParseErrors(decodeCertificateRequest);
    onlyParseErrors(decodeCertificateVerify);
    onlyParseErrors((b) => decodeServerKeyExchange(b, 'ecdhe'));
    onlyParseErrors((b) => decodeServerKeyExchange(b, 'psk'));
    onlyParseErrors((b) => decodeClientKeyExchange(b, 'ecdhe'));
    onlyParseErrors((b) => decodeClientKeyExchange(b, 'psk'));
  });

  it('reassembly: any fragmentation, order and duplication gives back the message', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (body, cuts, seed) => {
          // Fragments covering [0, len): one per cut pair plus a full-coverage chain, shuffled.
          const len = body.byteLength;
          const frags: [number, number][] = cuts.map(([a, b]) => {
            const s = len === 0 ? 0 : a % len;
            return [s, Math.min(len - s, b % 200)];
          });
          for (let at = 0; at < len || (len === 0 && at === 0); at += 97) frags.push([at, Math.min(97, len - at)]);
          let x = seed;
          for (let i = frags.length - 1; i > 0; i--) {
            x = (x * 1103515245 + 12345) >>> 0;
            const j = x % (i + 1);
            [frags[i], frags[j]] = [frags[j] as [number, number], frags[i] as [number, number]];
          }
          const r = new HandshakeReassembler();
          let out: Uint8Array | undefined;
          for (const [off, n] of frags) {
            for (const f of decodeHandshakeFragments(encodeHandshakeFragment(11, 0, body, off, n))) r.add(f);
            out ??= r.pop()?.body;
          }
          expect(out).toEqual(body);
          expect(r.pop()).toBeUndefined();
        },
      ),
    );
  });
});
