import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAv1SequenceHeader, splitObus } from '../src/av1-obu.js';
import { splitAnnexB } from '../src/h264-nal.js';
import { parseH264Sps } from '../src/h264-sps.js';
import { parseOpusToc } from '../src/opus.js';
import { parseVp8FrameHeader } from '../src/vp8.js';
import { parseVp9FrameHeader } from '../src/vp9.js';

const parsers: [string, (b: Uint8Array) => unknown][] = [
  ['parseVp8FrameHeader', parseVp8FrameHeader],
  ['parseVp9FrameHeader', parseVp9FrameHeader],
  ['parseAv1SequenceHeader', parseAv1SequenceHeader],
  ['splitObus', splitObus],
  ['parseH264Sps', (b) => parseH264Sps(Uint8Array.of(0x67, ...b))],
];

describe('bitstream header parsers on random bytes (property)', () => {
  for (const [name, parse] of parsers) {
    it(`${name} returns or throws ParseError, nothing else`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
          try {
            parse(bytes);
          } catch (err) {
            expect(isParseError(err)).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('splitAnnexB and parseOpusToc never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        for (const nal of splitAnnexB(bytes)) expect(nal.byteLength).toBeGreaterThan(0);
        if (bytes[0] !== undefined) expect(parseOpusToc(bytes[0]).samplesPerFrame).toBeGreaterThan(0);
      }),
    );
  });
});
