import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTransportCcFeedback,
  decodeRtcpPackets,
  encodeRtcpPackets,
  type ReportBlock,
  type RtcpPacket,
  transportCcArrivals,
  type XrBlock,
} from '../src/index.js';

const u32 = fc.integer({ min: 0, max: 0xffffff_ff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u8 = fc.integer({ min: 0, max: 0xff });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const words = (max: number) =>
  fc.integer({ min: 0, max }).chain((n) => fc.uint8Array({ minLength: n * 4, maxLength: n * 4 }));
const text = fc
  .string({ maxLength: 40 })
  .filter(
    (s) => new TextEncoder().encode(s).length <= 255 && new TextDecoder().decode(new TextEncoder().encode(s)) === s,
  );

const reportBlock: fc.Arbitrary<ReportBlock> = fc.record({
  ssrc: u32,
  fractionLost: u8,
  cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
  extendedHighestSequence: u32,
  jitter: u32,
  lastSr: u32,
  delaySinceLastSr: u32,
});
const reports = fc.array(reportBlock, { maxLength: 31 });

const xrBlock: fc.Arbitrary<XrBlock> = fc.oneof(
  u64.map((ntpTimestamp) => ({ kind: 'rrtr' as const, ntpTimestamp })),
  fc
    .array(fc.record({ ssrc: u32, lastRr: u32, delaySinceLastRr: u32 }), { maxLength: 4 })
    .map((subBlocks) => ({ kind: 'dlrr' as const, subBlocks })),
  fc.record({
    kind: fc.constant('unknown' as const),
    blockType: u8.filter((b) => b !== 4 && b !== 5),
    typeSpecific: u8,
    data: words(4),
  }),
);

const twccDelta = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: -0x8000, max: 0x7fff }),
);

export const arbitraryRtcpPacket: fc.Arbitrary<RtcpPacket> = fc.oneof(
  fc.record({
    type: fc.constant('sr' as const),
    ssrc: u32,
    ntpTimestamp: u64,
    rtpTimestamp: u32,
    packetCount: u32,
    octetCount: u32,
    reports,
    profileExtension: words(3),
  }),
  fc.record({ type: fc.constant('rr' as const), ssrc: u32, reports, profileExtension: words(3) }),
  fc.record({
    type: fc.constant('sdes' as const),
    chunks: fc.array(
      fc.record({
        ssrc: u32,
        items: fc.array(fc.record({ type: fc.integer({ min: 1, max: 255 }), text }), { maxLength: 4 }),
      }),
      { maxLength: 5 },
    ),
  }),
  fc.oneof(
    fc.record({ type: fc.constant('bye' as const), ssrcs: fc.array(u32, { maxLength: 31 }) }),
    fc.record({ type: fc.constant('bye' as const), ssrcs: fc.array(u32, { maxLength: 31 }), reason: text }),
  ),
  fc.record({
    type: fc.constant('app' as const),
    subtype: fc.integer({ min: 0, max: 31 }),
    ssrc: u32,
    name: fc.string({
      unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
      minLength: 4,
      maxLength: 4,
    }),
    data: words(4),
  }),
  fc.record({ type: fc.constant('xr' as const), ssrc: u32, blocks: fc.array(xrBlock, { maxLength: 4 }) }),
  fc.record({
    type: fc.constant('nack' as const),
    senderSsrc: u32,
    mediaSsrc: u32,
    items: fc.array(fc.record({ pid: u16, blp: u16 }), { maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant('twcc' as const),
    senderSsrc: u32,
    mediaSsrc: u32,
    baseSequence: u16,
    referenceTime: fc.integer({ min: 0, max: 0xffffff }),
    feedbackPacketCount: u8,
    deltas: fc.oneof(
      fc.array(twccDelta, { maxLength: 60 }),
      // long runs exercise run-length chunks
      fc.tuple(twccDelta, fc.integer({ min: 1, max: 9000 })).map(([d, n]) => new Array<number | null>(n).fill(d)),
    ),
  }),
  fc.record({ type: fc.constant('pli' as const), senderSsrc: u32, mediaSsrc: u32 }),
  fc.record({
    type: fc.constant('fir' as const),
    senderSsrc: u32,
    mediaSsrc: u32,
    entries: fc.array(fc.record({ ssrc: u32, sequenceNumber: u8 }), { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('remb' as const),
    senderSsrc: u32,
    mediaSsrc: u32,
    bitrate: fc
      .tuple(fc.integer({ min: 0, max: 0x3ffff }), fc.integer({ min: 0, max: 40 }))
      .map(([m, e]) => m * 2 ** e),
    ssrcs: fc.array(u32, { maxLength: 6 }),
  }),
  fc.record({
    type: fc.constant('unknown' as const),
    packetType: fc.integer({ min: 192, max: 223 }).filter((t) => t < 200 || t > 207),
    count: fc.integer({ min: 0, max: 31 }),
    body: words(4),
  }),
);

describe('RTCP properties', () => {
  it('decode(encode(x)) == x for every message type, alone and in compounds, with padding', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryRtcpPacket, { minLength: 1, maxLength: 4 }),
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 63 }).map((n) => n * 4),
        ),
        (packets, padding) => {
          const bytes = encodeRtcpPackets(packets, { padding });
          expect(bytes.length % 4).toBe(0);
          expect(decodeRtcpPackets(bytes)).toEqual(packets);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('transport-cc: arrivals(build(x)) matches x to the 250 µs tick', () => {
    fc.assert(
      fc.property(
        u16,
        // start in 250 µs ticks, positive and far enough from the 24-bit reference-time wrap (~12 days)
        fc.integer({ min: 1_000_000, max: 4_000_000_000 }),
        fc.array(fc.option(fc.integer({ min: -5000, max: 100_000 }), { nil: undefined }), {
          minLength: 1,
          maxLength: 80,
        }),
        (first, start, steps) => {
          let t = start;
          const packets = steps.map((step, i) => {
            if (step !== undefined) t += step;
            return { sequence: (first + i) & 0xffff, arrivalTimeUs: step === undefined ? undefined : t * 250 };
          });
          const fbs = buildTransportCcFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets });
          const decoded = decodeRtcpPackets(encodeRtcpPackets(fbs));
          const arrivals = decoded.flatMap((p) => (p.type === 'twcc' ? transportCcArrivals(p) : []));
          expect(arrivals.map((a) => a.sequence)).toEqual(packets.map((p) => p.sequence));
          expect(arrivals.map((a) => a.arrivalTimeUs)).toEqual(packets.map((p) => p.arrivalTimeUs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes only ever throw ParseError', () => {
    const rtcpLike = fc
      .tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 200, max: 207 }), fc.uint8Array({ maxLength: 120 }))
      .map(([b0, pt, rest]) => {
        const words = Math.floor(rest.length / 4);
        return Uint8Array.of(0x80 | (b0 & 0x3f), pt, words >> 8, words & 0xff, ...rest);
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), rtcpLike), (input) => {
        try {
          decodeRtcpPackets(input);
        } catch (err) {
          if (!isParseError(err)) throw err;
        }
      }),
      { numRuns: 5000 },
    );
  });
});
