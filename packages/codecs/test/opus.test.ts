import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpusDepacketizer, OpusPacketizer, opusPacketSamples, parseOpusToc } from '../src/opus.js';
import { assemble, frames, shuffleWithin } from './helpers.js';

describe('Opus (RFC 7587)', () => {
  it('parses TOC bytes', () => {
    expect(parseOpusToc(0xfc)).toEqual({ config: 31, stereo: true, frameCountCode: 0, samplesPerFrame: 960 });
    expect(parseOpusToc(0x78)).toMatchObject({ config: 15, samplesPerFrame: 960 });
    expect(parseOpusToc(0x08)).toMatchObject({ config: 1, samplesPerFrame: 960 });
    expect(opusPacketSamples(Uint8Array.of(0xfd, 1, 2))).toBe(1920);
    expect(opusPacketSamples(Uint8Array.of(0xfb, 0x03))).toBe(2880);
    expect(() => opusPacketSamples(Uint8Array.of(0x0b, 0x07))).toThrow(/bad frame count/);
  });

  it('puts one packet per payload, sends nothing for DTX, refuses oversize', () => {
    const p = new OpusPacketizer({ maxPayloadSize: 100 });
    const frame = Uint8Array.of(0xfc, 1, 2, 3);
    expect(p.packetize(frame)).toEqual([{ payload: frame, marker: false }]);
    expect(p.packetize(new Uint8Array())).toEqual([]);
    expect(() => p.packetize(new Uint8Array(101))).toThrow(/exceeds/);
  });

  it('emits every packet as a frame, in order after reordering, and flags DTX', () => {
    const packets = Array.from({ length: 50 }, (_, i) => ({
      sequenceNumber: (65500 + i) & 0xffff,
      timestamp: (i * 960) >>> 0,
      marker: i === 0,
      payload: i % 7 === 3 ? Uint8Array.of(0xfc) : Uint8Array.of(0xfc, i, i + 1),
    }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const events = assemble(new OpusDepacketizer(), shuffleWithin(packets, 8, seed), 8);
        const out = frames(events);
        expect(out.map((f) => f.data)).toEqual(packets.map((p) => p.payload));
        expect(out.map((f) => (f as unknown as { dtx: boolean }).dtx)).toEqual(packets.map((_, i) => i % 7 === 3));
      }),
      { numRuns: 20 },
    );
  });

  it('reports a lost packet and treats an empty payload as padding', () => {
    const packets = Array.from({ length: 30 }, (_, i) => ({
      sequenceNumber: i,
      timestamp: i * 960,
      marker: false,
      payload: i === 5 ? new Uint8Array() : Uint8Array.of(0xfc, i),
    })).filter((p) => p.sequenceNumber !== 10);
    const events = assemble(new OpusDepacketizer(), packets);
    const lost = events.filter((e) => e.type === 'incomplete');
    // The empty payload (seq 5) is padding, not loss; seq 10 is lost.
    expect(lost.map((e) => [e.firstSequenceNumber, e.lastSequenceNumber])).toEqual([[10, 10]]);
    expect(frames(events)).toHaveLength(28);
  });

  it('random payloads only throw ParseError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 }), (b) => {
        try {
          new OpusDepacketizer().parse(b);
        } catch (err) {
          expect(isParseError(err)).toBe(true);
        }
      }),
    );
  });
});
