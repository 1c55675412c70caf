import { fromHex, isParseError, toHex } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRtpPacket, encodeRtpPacket, fromRtxPacket, toRtxPacket } from '../src/index.js';
import { arbitraryRtpPacket } from './arbitraries.js';

describe('RTX (RFC 4588 §4)', () => {
  it('puts the original sequence number in front of the payload', () => {
    // original: PT 96, seq 0x1234, ssrc 0x11111111, payload aabb
    const original = decodeRtpPacket(fromHex('80601234 00000064 11111111 aabb'));
    const rtx = toRtxPacket(original, { ssrc: 0x22222222, payloadType: 97 }, 7);
    expect(toHex(encodeRtpPacket(rtx))).toBe('80610007000000642222222212 34aabb'.replace(' ', ''));
    expect(fromRtxPacket(rtx, { ssrc: 0x11111111, payloadType: 96 })).toEqual(original);
  });

  it('rejects an RTX payload without OSN', () => {
    const rtx = decodeRtpPacket(fromHex('80610007 00000064 22222222 12'));
    let caught: unknown;
    try {
      fromRtxPacket(rtx, { ssrc: 1, payloadType: 96 });
    } catch (err) {
      caught = err;
    }
    expect(isParseError(caught, 'truncated')).toBe(true);
  });

  it('fromRtx(toRtx(x)) == x (without padding)', () => {
    fc.assert(
      fc.property(arbitraryRtpPacket, fc.integer({ min: 0, max: 0xffff }), (packet, seq) => {
        const original = { ...packet, paddingLength: 0 };
        const rtx = toRtxPacket(original, { ssrc: 5, payloadType: 101 }, seq);
        const wire = encodeRtpPacket(rtx);
        expect(fromRtxPacket(decodeRtpPacket(wire), { ssrc: packet.ssrc, payloadType: packet.payloadType })).toEqual(
          original,
        );
      }),
      { numRuns: 200 },
    );
  });
});
