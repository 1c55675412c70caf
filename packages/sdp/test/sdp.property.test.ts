import { ParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// fast-check records have a null prototype, so compare structurally with toEqual.
function same(a: unknown, b: unknown): boolean {
  expect(a).toEqual(b);
  return true;
}
import {
  type SdpMedia,
  type SessionDescription,
  formatExtmap,
  formatRid,
  formatRtpmap,
  formatSimulcast,
  parseExtmap,
  parseRid,
  parseRtpmap,
  parseSdp,
  parseSimulcast,
  writeSdp,
} from '../src/index.js';

const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const valueText = fc.stringMatching(/^[!-~][ -~]{0,20}$/).filter((s) => !s.endsWith(' ') && !s.includes('\r'));

const attribute = fc.oneof(
  token.map((name) => ({ name })),
  fc.tuple(token, valueText).map(([name, value]) => ({ name, value })),
);

const media: fc.Arbitrary<SdpMedia> = fc.record({
  kind: fc.constantFrom('audio', 'video', 'application'),
  port: fc.integer({ min: 0, max: 65535 }),
  protocol: fc.constantFrom('UDP/TLS/RTP/SAVPF', 'RTP/AVP', 'UDP/DTLS/SCTP'),
  formats: fc.array(fc.integer({ min: 0, max: 127 }).map(String), { minLength: 1, maxLength: 5 }),
  // RFC 8866 §5 orders media-level lines i=, c=, b=, k=; the writer emits that order.
  lines: fc
    .array(fc.record({ type: fc.constantFrom('i', 'b', 'k'), value: valueText }), { maxLength: 2 })
    .map((ls) => [...ls].sort((a, b) => 'ibk'.indexOf(a.type) - 'ibk'.indexOf(b.type))),
  attributes: fc.array(attribute, { maxLength: 6 }),
});

const session: fc.Arbitrary<SessionDescription> = fc.record({
  version: fc.constant(0),
  origin: fc.record({
    username: fc.constant('-'),
    sessionId: fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String),
    sessionVersion: fc.nat().map(String),
    netType: fc.constant('IN'),
    addressType: fc.constant('IP4'),
    address: fc.constant('127.0.0.1'),
  }),
  sessionName: fc.constant('-'),
  timing: fc.constant(['0 0']),
  lines: fc.constant([]),
  attributes: fc.array(attribute, { maxLength: 4 }),
  media: fc.array(media, { maxLength: 4 }),
});

describe('SDP properties', () => {
  it('parse(write(x)) == x for generated sessions', () => {
    fc.assert(
      fc.property(session, (s) => {
        const text = writeSdp(s);
        return writeSdp(parseSdp(text)) === text && same(parseSdp(text), s);
      }),
    );
  });

  it('random text only ever fails with ParseError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseSdp(`v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n${text}`);
          parseSdp(text);
        } catch (e) {
          return e instanceof ParseError;
        }
        return true;
      }),
    );
  });

  it('attribute codecs invert their formatters', () => {
    fc.assert(
      fc.property(
        fc.record({
          payloadType: fc.integer({ min: 0, max: 127 }),
          encoding: token,
          clockRate: fc.nat(),
          channels: fc.integer({ min: 1, max: 8 }),
        }),
        (r) => same(parseRtpmap(formatRtpmap(r)), r),
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('sendonly', 'recvonly', 'sendrecv', 'inactive'),
        (id, direction) => {
          const e = { id, direction: direction as 'sendonly', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' };
          return same(parseExtmap(formatExtmap(e)), e);
        },
      ),
    );
    fc.assert(
      fc.property(token, fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 3 }), (id, pts) => {
        const r = parseRid(
          formatRid({ id, direction: 'send', payloadTypes: pts, restrictions: new Map([['max-fps', '30']]) }),
        );
        return (
          r.id === id &&
          JSON.stringify(r.payloadTypes) === JSON.stringify(pts) &&
          r.restrictions.get('max-fps') === '30'
        );
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ rid: token, paused: fc.boolean() }), { minLength: 1, maxLength: 2 }), {
          minLength: 1,
          maxLength: 3,
        }),
        (send) => {
          return JSON.stringify(parseSimulcast(formatSimulcast({ send })).send) === JSON.stringify(send);
        },
      ),
    );
  });
});
