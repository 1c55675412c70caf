/** fast-check generators shared by the property tests. */
import fc from 'fast-check';
import type { RtpPacket } from '../src/index.js';

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
