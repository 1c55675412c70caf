import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRtpPacket,
  encodeRtpPacket,
  findHeaderExtension,
  type RtpPacket,
  readRtpHeader,
  rtpPacketSize,
} from '../src/index.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

const oneByteElements = fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 14 }), data: bytes(1, 16) }), {
  selector: (e) => e.id,
  maxLength: 6,
});
const twoByteElements = fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 255 }), data: bytes(0, 40) }), {
  selector: (e) => e.id,
  minLength: 1,
  maxLength: 6,
});

export const arbitraryRtpPacket: fc.Arbitrary<RtpPacket> = fc
  .record({
    marker: fc.boolean(),
    payloadType: fc.integer({ min: 0, max: 127 }),
    sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
    timestamp: u32,
    ssrc: u32,
    csrcs: fc.array(u32, { maxLength: 15 }),
    ext: fc.oneof(
      oneByteElements.map((extensions) => ({ extensions, rawExtension: undefined })),
      twoByteElements.map((extensions) => ({ extensions, rawExtension: undefined })),
      fc
        .record({
          profile: fc.integer({ min: 0, max: 0xffff }).filter((p) => p !== 0xbede && (p & 0xfff0) !== 0x1000),
          words: fc.integer({ min: 0, max: 4 }),
        })
        .chain(({ profile, words }) =>
          bytes(words * 4, words * 4).map((data) => ({ extensions: [], rawExtension: { profile, data } })),
        ),
    ),
    payload: bytes(0, 64),
    paddingLength: fc.integer({ min: 0, max: 255 }),
  })
  .map(({ ext, ...rest }) => ({ ...rest, ...ext }));

describe('RTP properties', () => {
  it('decode(encode(x)) == x', () => {
    fc.assert(
      fc.property(arbitraryRtpPacket, (packet) => {
        const wire = encodeRtpPacket(packet);
        expect(wire.length).toBe(rtpPacketSize(packet));
        const decoded = decodeRtpPacket(wire);
        expect(decoded).toEqual(packet);
        // every element is findable through the zero-allocation path
        const header = readRtpHeader(wire);
        for (const e of packet.extensions) expect(findHeaderExtension(wire, header, e.id)).toEqual(e.data);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes only ever throw ParseError', () => {
    fc.assert(
      fc.property(bytes(0, 80), (input) => {
        // bias towards version 2 so the parser gets past the first check
        if (input.length > 0 && (input[0] as number) < 0x40) input[0] = 0x80 | (input[0] as number);
        try {
          decodeRtpPacket(input);
        } catch (err) {
          if (!isParseError(err)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
