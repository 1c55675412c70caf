import { isParseError, type SocketAddress } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Attr,
  AttrType,
  decodeChannelData,
  decodeStunMessage,
  encodeChannelData,
  encodeStunMessage,
  formatIPv6,
  getAttribute,
  parseIPv6,
  StreamFramer,
  type StunClass,
  type StunMessage,
  verifyFingerprint,
  verifyIntegrity,
} from '../src/index.js';

const RESERVED_TRAILER = new Set<number>([
  AttrType.MESSAGE_INTEGRITY,
  AttrType.MESSAGE_INTEGRITY_SHA256,
  AttrType.FINGERPRINT,
]);

const attribute = fc.record({
  type: fc.integer({ min: 0, max: 0xffff }).filter((t) => !RESERVED_TRAILER.has(t)),
  value: fc.uint8Array({ maxLength: 64 }),
});

const message: fc.Arbitrary<StunMessage> = fc.record({
  class: fc.constantFrom<StunClass>('request', 'indication', 'success', 'error'),
  method: fc.integer({ min: 0, max: 0xfff }),
  transactionId: fc.uint8Array({ minLength: 12, maxLength: 12 }),
  attributes: fc.array(attribute, { maxLength: 12 }),
});

function plain(m: StunMessage): unknown {
  return {
    class: m.class,
    method: m.method,
    transactionId: Array.from(m.transactionId),
    attributes: m.attributes.map((a) => ({ type: a.type, value: Array.from(a.value) })),
  };
}

function onlyParseErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!isParseError(err)) throw err;
  }
}

describe('STUN properties', () => {
  it('decode(encode(m)) == m', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(plain(decodeStunMessage(encodeStunMessage(m)))).toEqual(plain(m));
      }),
    );
  });

  it('integrity and fingerprint verify after any message, and the attributes survive', () => {
    fc.assert(
      fc.property(message, fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.boolean(), (m, key, sha256) => {
        const raw = encodeStunMessage(m, {
          integrity: { key, algorithm: sha256 ? 'sha256' : 'sha1' },
          fingerprint: true,
        });
        expect(verifyIntegrity(raw, key)).toBe(true);
        expect(verifyFingerprint(raw)).toBe(true);
        const d = decodeStunMessage(raw);
        expect(plain({ ...d, attributes: d.attributes.slice(0, -2) })).toEqual(plain(m));
      }),
    );
  });

  it('random bytes → only ParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        onlyParseErrors(() => decodeStunMessage(bytes));
        onlyParseErrors(() => decodeChannelData(bytes));
        verifyIntegrity(bytes, new Uint8Array(4));
        verifyFingerprint(bytes);
      }),
    );
  });

  it('mutated valid messages → only ParseError from decode and typed getters', () => {
    fc.assert(
      fc.property(
        message,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        (m, edits) => {
          const raw = encodeStunMessage(m).slice();
          for (const [at, v] of edits) raw[at % raw.byteLength] = v;
          onlyParseErrors(() => {
            const d = decodeStunMessage(raw);
            for (const codec of Object.values(Attr)) onlyParseErrors(() => getAttribute(d, codec as typeof Attr.DATA));
          });
        },
      ),
    );
  });

  it('random attribute values → only ParseError from every codec', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (value) => {
        for (const codec of Object.values(Attr)) {
          onlyParseErrors(() => (codec as typeof Attr.DATA).decode(value, new Uint8Array(12)));
        }
      }),
    );
  });

  it('XOR and plain address codecs round-trip any IPv4/IPv6 address', () => {
    const v4 = fc.ipV4().map((a): SocketAddress => ({ address: a, port: 0, family: 'IPv4' }));
    const v6 = fc
      .uint8Array({ minLength: 16, maxLength: 16 })
      .map((b): SocketAddress => ({ address: formatIPv6(b), port: 0, family: 'IPv6' }));
    fc.assert(
      fc.property(
        fc.oneof(v4, v6),
        fc.integer({ min: 0, max: 65535 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        (a, port, tid) => {
          const addr = { ...a, port };
          for (const codec of [Attr.XOR_MAPPED_ADDRESS, Attr.XOR_PEER_ADDRESS, Attr.MAPPED_ADDRESS]) {
            expect(codec.decode(codec.encode(addr, tid), tid)).toEqual(addr);
          }
        },
      ),
    );
  });

  it('IPv6 text parse/format is stable', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const b = parseIPv6(text);
        expect(b).toBeDefined();
        const canon = formatIPv6(b as Uint8Array);
        expect(Array.from(parseIPv6(canon) as Uint8Array)).toEqual(Array.from(b as Uint8Array));
      }),
    );
  });

  it('ChannelData round trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0x4000, max: 0x4fff }),
        fc.uint8Array({ maxLength: 100 }),
        fc.boolean(),
        (ch, data, pad) => {
          const d = decodeChannelData(encodeChannelData(ch, data, { pad }));
          expect(d.channel).toBe(ch);
          expect(Array.from(d.data)).toEqual(Array.from(data));
        },
      ),
    );
  });

  it('stream framer: random chunks never throw anything but ParseError; valid streams re-split exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 8 }), (chunks) => {
        const f = new StreamFramer();
        onlyParseErrors(() => {
          for (const c of chunks) f.push(c);
        });
      }),
    );
    const frame = fc.oneof(
      message.map((m) => ({ kind: 'stun' as const, bytes: encodeStunMessage(m) })),
      fc.tuple(fc.integer({ min: 0x4000, max: 0x4fff }), fc.uint8Array({ maxLength: 30 })).map(([ch, data]) => ({
        kind: 'cd' as const,
        bytes: encodeChannelData(ch, data, { pad: true }),
      })),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 5 }), (frames, cuts) => {
        const all = new Uint8Array(frames.reduce((n, f) => n + f.bytes.byteLength, 0));
        let at = 0;
        for (const f of frames) {
          all.set(f.bytes, at);
          at += f.bytes.byteLength;
        }
        const points = [...new Set(cuts.map((c) => (all.byteLength ? c % all.byteLength : 0)))].sort((a, b) => a - b);
        const f = new StreamFramer();
        let prev = 0;
        const out = [];
        for (const p of [...points, all.byteLength]) {
          out.push(...f.push(all.subarray(prev, p)));
          prev = p;
        }
        expect(out.map((o) => o.kind)).toEqual(frames.map((x) => (x.kind === 'stun' ? 'stun' : 'channel-data')));
      }),
    );
  });
});
