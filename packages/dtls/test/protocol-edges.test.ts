import { ByteWriter, seededRandom, toHex } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExtensionType, HandshakeType } from '../src/constants.js';
import {
  encodeExtendedMasterSecret,
  encodeSupportedGroups,
  encodeSignatureAlgorithms,
} from '../src/handshake/extensions.js';
import { decodeHandshakeFragments, encodeHandshakeFragment, encodeHandshakeMessage } from '../src/handshake/header.js';
import {
  type ClientHello,
  decodeHelloVerifyRequest,
  decodeServerHello,
  encodeClientHello,
} from '../src/handshake/hello.js';
import {
  CIPHER_SUITES,
  DtlsClient,
  DtlsServer,
  computeCookie,
  decodeRecords,
  encodeRecord,
  verifyCookie,
} from '../src/index.js';
import { negotiate } from '../src/server-negotiation.js';
import { testCredential } from './helpers/certs.js';

const cred = testCredential('p256', 'edge-server');

function helloRecord(hello: ClientHello, messageSeq = 0, recordSeq = 0): Uint8Array {
  const fragment = encodeHandshakeMessage(HandshakeType.client_hello, messageSeq, encodeClientHello(hello));
  return encodeRecord({ contentType: 22, version: 0xfeff, epoch: 0, sequenceNumber: recordSeq, fragment });
}

function handshakeMessages(datagrams: Uint8Array[]) {
  return datagrams.flatMap((d) =>
    decodeRecords(d)
      .filter((r) => r.contentType === 22 && r.epoch === 0)
      .flatMap((r) => decodeHandshakeFragments(r.fragment)),
  );
}

function drain(ep: DtlsServer | DtlsClient): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let d = ep.pollTransmit(); d; d = ep.pollTransmit()) out.push(d);
  return out;
}

/** A ClientHello shaped like Chrome's: DTLS 1.3 supported_versions and a key_share alongside 1.2 offers. */
function chromeLikeHello(cookie: Uint8Array = new Uint8Array(0)): ClientHello {
  const versions = new ByteWriter(8).u8(4).u16(0xfefc).u16(0xfefd).finish().slice();
  const keyShare = new ByteWriter(48).u16(36).u16(29).u16(32).bytes(new Uint8Array(32).fill(9)).finish().slice();
  return {
    clientVersion: 0xfefd,
    random: new Uint8Array(32).fill(1),
    sessionId: new Uint8Array(0),
    cookie,
    cipherSuites: [0x1301, 0x1302, 0xc02b, 0xc02f],
    compressionMethods: [0],
    extensions: [
      { type: 0x1234, data: Uint8Array.of(1, 2, 3) }, // unknown: ignored
      encodeSupportedGroups([29, 23]),
      encodeSignatureAlgorithms([0x0403, 0x0804]),
      encodeExtendedMasterSecret(),
      { type: ExtensionType.supported_versions, data: versions },
      { type: ExtensionType.key_share, data: keyShare },
    ],
  };
}

describe('server edge cases', () => {
  it('answers a DTLS 1.3-capable ClientHello (supported_versions, key_share) with DTLS 1.2', () => {
    const server = new DtlsServer({ random: seededRandom(1), credential: cred, cookie: false });
    server.handle(0, helloRecord(chromeLikeHello()));
    const msgs = handshakeMessages(drain(server));
    expect(msgs.map((m) => m.msgType)).toEqual([2, 11, 12, 14]);
    const first = msgs[0];
    if (!first) throw new Error('no ServerHello');
    const sh = decodeServerHello(first.body);
    expect(sh.serverVersion).toBe(0xfefd);
    expect(sh.cipherSuite).toBe(0xc02b);
    expect(sh.extensions.map((e) => e.type)).not.toContain(ExtensionType.supported_versions);
  });

  it('keeps no state before the cookie round trip and answers HelloVerifyRequest deterministically', () => {
    const server = new DtlsServer({
      random: seededRandom(1),
      credential: cred,
      cookieSecret: new Uint8Array(32).fill(5),
    });
    server.handle(0, helloRecord(chromeLikeHello(), 0, 7));
    const [hvr1] = drain(server);
    server.handle(10, helloRecord(chromeLikeHello(), 0, 8));
    const [hvr2] = drain(server);
    expect(hvr1 && toHex(hvr1.subarray(13))).toBe(hvr2 && toHex(hvr2.subarray(13)));
    // RFC 6347 §4.2.1: the HelloVerifyRequest echoes the ClientHello's record sequence number.
    expect(hvr1 && decodeRecords(hvr1)[0]?.sequenceNumber).toBe(7);
    expect(server.pollTimeout()).toBeUndefined();
    const msg = hvr1 ? handshakeMessages([hvr1])[0] : undefined;
    if (!msg) throw new Error('no HelloVerifyRequest');
    expect(msg.msgType).toBe(HandshakeType.hello_verify_request);
    const { cookie } = decodeHelloVerifyRequest(msg.body);
    // A cookie for different parameters gets another HelloVerifyRequest, the right one a ServerHello.
    server.handle(20, helloRecord({ ...chromeLikeHello(cookie), random: new Uint8Array(32).fill(2) }, 1, 9));
    expect(handshakeMessages(drain(server)).map((m) => m.msgType)).toEqual([HandshakeType.hello_verify_request]);
    server.handle(30, helloRecord(chromeLikeHello(cookie), 1, 10));
    const flight = handshakeMessages(drain(server));
    expect(flight.map((m) => m.msgType)).toEqual([2, 11, 12, 14]);
    expect(flight[0]?.messageSeq).toBe(1); // follows the client's message_seq
    expect(server.pollTimeout()).toBe(30 + 1000);
  });

  it('reassembles a ClientHello fragmented over several datagrams (large key_share), before and after the cookie', () => {
    const server = new DtlsServer({ random: seededRandom(1), credential: cred });
    const big = (cookie: Uint8Array): ClientHello => {
      const h = chromeLikeHello(cookie);
      const keyShare = new ByteWriter(1300)
        .u16(1220)
        .u16(0x11ec)
        .u16(1216)
        .bytes(new Uint8Array(1216).fill(7))
        .finish()
        .slice();
      return {
        ...h,
        extensions: h.extensions.map((e) =>
          e.type === ExtensionType.key_share ? { type: e.type, data: keyShare } : e,
        ),
      };
    };
    const sendFragmented = (hello: ClientHello, messageSeq: number, firstRecordSeq: number) => {
      const body = encodeClientHello(hello);
      const parts = [0, 500, 1000].map((off) =>
        encodeHandshakeFragment(
          HandshakeType.client_hello,
          messageSeq,
          body,
          off,
          Math.min(500, body.byteLength - off),
        ),
      );
      // Last fragment first, then a duplicate, then the rest.
      for (const [i, part] of [
        [2, parts[2]],
        [2, parts[2]],
        [0, parts[0]],
        [1, parts[1]],
      ] as const) {
        if (!part) continue;
        server.handle(
          i,
          encodeRecord({
            contentType: 22,
            version: 0xfefd,
            epoch: 0,
            sequenceNumber: firstRecordSeq + i,
            fragment: part,
          }),
        );
      }
    };
    sendFragmented(big(new Uint8Array(0)), 0, 0);
    const hvr = handshakeMessages(drain(server));
    expect(hvr.map((m) => m.msgType)).toEqual([HandshakeType.hello_verify_request]);
    const { cookie } = decodeHelloVerifyRequest(hvr[0]?.body ?? new Uint8Array());
    sendFragmented(big(cookie), 1, 3);
    expect(handshakeMessages(drain(server)).map((m) => m.msgType)).toEqual([2, 11, 12, 14]);
  });

  it('cookies bind the context (e.g. the client address)', () => {
    const secret = new Uint8Array(32).fill(3);
    const hello = chromeLikeHello();
    const cookie = computeCookie(secret, hello, Uint8Array.of(127, 0, 0, 1));
    expect(verifyCookie(secret, { ...hello, cookie }, Uint8Array.of(127, 0, 0, 1))).toBe(true);
    expect(verifyCookie(secret, { ...hello, cookie }, Uint8Array.of(127, 0, 0, 2))).toBe(false);
    expect(verifyCookie(new Uint8Array(32), { ...hello, cookie }, Uint8Array.of(127, 0, 0, 1))).toBe(false);
  });

  it('negotiation refuses a client without extended master secret unless allowed', () => {
    const hello = {
      ...chromeLikeHello(),
      extensions: chromeLikeHello().extensions.filter((e) => e.type !== ExtensionType.extended_master_secret),
    };
    const policy = {
      suites: CIPHER_SUITES.filter((s) => s.keyExchange === 'ecdhe_ecdsa'),
      groups: [29],
      srtpProfiles: [],
      credential: cred,
      pskEnabled: false,
      requireExtendedMasterSecret: true,
    };
    expect(() => negotiate(hello, policy)).toThrow(/extended master secret/);
    expect(negotiate(hello, { ...policy, requireExtendedMasterSecret: false }).extendedMasterSecret).toBe(false);
    expect(() => negotiate({ ...hello, clientVersion: 0xfeff }, policy)).toThrow(/DTLS 1.0/);
    expect(() => negotiate({ ...hello, cipherSuites: [0x1301] }, policy)).toThrow(/cipher suite/);
  });

  it('a fatal alert answers a malformed ClientHello after the cookie', () => {
    const server = new DtlsServer({ random: seededRandom(1), credential: cred, cookie: false });
    server.handle(0, helloRecord({ ...chromeLikeHello(), cipherSuites: [0x1301] }));
    const out = drain(server);
    expect(decodeRecords(out[0] ?? new Uint8Array()).map((r) => [r.contentType, toHex(r.fragment)])).toEqual([
      [21, '0228'],
    ]);
    const e = [server.pollEvent(), server.pollEvent()];
    expect(e.map((x) => x?.type)).toEqual(['alert', 'failed']);
  });
});

describe('client edge cases', () => {
  it('an unstarted client is due at once; the first timer sends the ClientHello', () => {
    const client = new DtlsClient({ random: seededRandom(1), verifyPeer: () => ({ ok: true }) });
    expect(client.pollTimeout()).toBe(0);
    expect(client.pollTransmit()).toBeUndefined();
    client.handleTimeout(5);
    expect(handshakeMessages(drain(client)).map((m) => m.msgType)).toEqual([HandshakeType.client_hello]);
    expect(client.pollTimeout()).toBe(1005);
    expect(() => client.start(6)).toThrow();
  });

  it('an out-of-order handshake message → unexpected_message; garbage body → decode_error', () => {
    for (const [type, body, alert] of [
      [HandshakeType.finished, new Uint8Array(12), 10],
      [HandshakeType.server_hello, Uint8Array.of(1, 2, 3), 50],
    ] as const) {
      const client = new DtlsClient({ random: seededRandom(1), verifyPeer: () => ({ ok: true }) });
      client.start(0);
      drain(client);
      const fragment = encodeHandshakeMessage(type, 0, body);
      client.handle(1, encodeRecord({ contentType: 22, version: 0xfefd, epoch: 0, sequenceNumber: 0, fragment }));
      const out = drain(client);
      expect(decodeRecords(out[0] ?? new Uint8Array()).map((r) => r.fragment[1])).toEqual([alert]);
      expect(client.state).toBe('failed');
    }
  });
});

describe('robustness', () => {
  it('random datagrams never throw out of handle() and are counted as drops', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }), (datagrams) => {
        const client = new DtlsClient({ random: seededRandom(1), verifyPeer: () => ({ ok: true }) });
        const server = new DtlsServer({ random: seededRandom(2), credential: cred });
        client.start(0);
        for (const d of datagrams) {
          client.handle(1, d);
          server.handle(1, d);
        }
        drain(client);
        drain(server);
      }),
      { numRuns: 300 },
    );
  });

  it('handshake records with random bodies never throw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25 }), fc.uint8Array({ maxLength: 120 }), (type, body) => {
        const client = new DtlsClient({ random: seededRandom(1), verifyPeer: () => ({ ok: true }) });
        const server = new DtlsServer({ random: seededRandom(2), credential: cred, cookie: false });
        client.start(0);
        const fragment = encodeHandshakeMessage(type, 0, body);
        const d = encodeRecord({ contentType: 22, version: 0xfefd, epoch: 0, sequenceNumber: 0, fragment });
        client.handle(1, d);
        server.handle(1, d);
        expect(['handshaking', 'failed']).toContain(client.state);
      }),
      { numRuns: 300 },
    );
  });
});

describe('renegotiation', () => {
  it('a HelloRequest after the handshake is refused with a no_renegotiation warning', async () => {
    const { TestLink } = await import('./helpers/pipe.js');
    const { fingerprintVerifier } = await import('./helpers/certs.js');
    const client = new DtlsClient({ random: seededRandom(1), verifyPeer: fingerprintVerifier(cred.fingerprint) });
    const server = new DtlsServer({ random: seededRandom(2), credential: cred });
    client.start(0);
    const link = new TestLink(client, server);
    link.run(() => link.connected());
    // Reach into the server to send a HelloRequest (type 0) in epoch 1, as a renegotiating server would.
    const internals = server as unknown as {
      handshakeItem(type: number, body: Uint8Array, hash: boolean): unknown;
      startFlight(now: number, items: unknown[], final: boolean): void;
    };
    internals.startFlight(
      link.now,
      [internals.handshakeItem(HandshakeType.hello_request, new Uint8Array(0), false)],
      true,
    );
    link.run(() => link.events[1].some((e) => e.type === 'alert'), link.now + 1000);
    expect(link.events[1].find((e) => e.type === 'alert')).toMatchObject({
      level: 'warning',
      name: 'no_renegotiation',
      sent: false,
    });
    expect(client.state).toBe('connected');
    expect(server.state).toBe('connected');
  });
});
