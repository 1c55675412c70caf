import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IceCandidate } from '../src/index.js';
import { formatCandidate, parseCandidate } from '../src/index.js';

const token = fc.stringMatching(/^[A-Za-z0-9+/]{1,32}$/);
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).filter((w) => !['raddr', 'rport', 'tcptype'].includes(w));
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().filter((a) => /^[0-9a-fA-F:]+$/.test(a));
const port = fc.integer({ min: 0, max: 65535 });

const candidate: fc.Arbitrary<IceCandidate> = fc
  .record({
    foundation: token,
    component: fc.integer({ min: 1, max: 256 }),
    protocol: fc.constantFrom('udp' as const, 'tcp' as const),
    priority: fc.integer({ min: 1, max: 0xffffffff }),
    address: fc.oneof(
      ipv4,
      ipv6,
      fc.uuid().map((u) => `${u}.local`),
    ),
    port,
    type: fc.constantFrom('host' as const, 'srflx' as const, 'prflx' as const, 'relay' as const),
    related: fc.option(fc.tuple(ipv4, port), { nil: undefined }),
    tcpType: fc.option(fc.constantFrom('active', 'passive', 'so'), { nil: undefined }),
    extensions: fc.array(fc.tuple(word, token), { maxLength: 3 }),
  })
  .map(({ related, tcpType, extensions, ...c }) => ({
    ...c,
    ...(related ? { relatedAddress: related[0], relatedPort: related[1] } : {}),
    ...(tcpType ? { tcpType } : {}),
    ...(extensions.length > 0 ? { extensions } : {}),
  }));

describe('candidate attribute properties', () => {
  it('parse(format(c)) == c', () => {
    fc.assert(
      fc.property(candidate, (c) => {
        expect(parseCandidate(formatCandidate(c))).toEqual(c);
      }),
      { numRuns: 500 },
    );
  });

  it('random text throws only ParseError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .array(fc.constantFrom('candidate:1', '1', 'udp', 'typ', 'host', '5', 'raddr', 'x'))
            .map((a) => a.join(' ')),
        ),
        (s) => {
          try {
            parseCandidate(s);
          } catch (err) {
            expect(isParseError(err)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
