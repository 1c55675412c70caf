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
});
