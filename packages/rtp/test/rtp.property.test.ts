import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRtpPacket, encodeRtpPacket, findHeaderExtension, readRtpHeader, rtpPacketSize } from '../src/index.js';
import { arbitraryRtpPacket } from './arbitraries.js';

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
      fc.property(fc.uint8Array({ maxLength: 80 }), (input) => {
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

  it('findHeaderExtension agrees with decodeRtpPacket on random extension blocks', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0xbede, 0x1000, 0x100f),
        fc.integer({ min: 0, max: 6 }).chain((words) => fc.uint8Array({ minLength: words * 4, maxLength: words * 4 })),
        (profile, block) => {
          const packet = new Uint8Array(12 + 4 + block.length);
          packet.set([0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, profile >> 8, profile & 0xff, 0, block.length / 4]);
          packet.set(block, 16);
          const header = readRtpHeader(packet);
          let elements: { id: number; data: Uint8Array }[] | undefined;
          try {
            elements = [...decodeRtpPacket(packet).extensions];
          } catch (err) {
            if (!isParseError(err, 'invalid_extension')) throw err;
          }
          for (let id = 1; id <= 255; id++) {
            const found = findHeaderExtension(packet, header, id);
            if (elements === undefined) continue; // malformed: find may stop anywhere, but never throws
            expect(found).toEqual(elements.find((e) => e.id === id)?.data);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
