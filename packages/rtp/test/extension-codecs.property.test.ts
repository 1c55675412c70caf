import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  absCaptureTimeExtension,
  absSendTimeExtension,
  audioLevelExtension,
  BUILTIN_EXTENSION_CODECS,
  type ExtensionCodec,
  midExtension,
  playoutDelayExtension,
  transportWideCcExtension,
  videoOrientationExtension,
} from '../src/index.js';

function roundTrips<T>(codec: ExtensionCodec<T>, values: fc.Arbitrary<T>): void {
  fc.assert(
    fc.property(values, (v) => {
      expect(codec.decode(codec.encode(v))).toEqual(v);
    }),
    { numRuns: 300 },
  );
}

describe('extension codec properties', () => {
  it('decode(encode(x)) == x for every codec', () => {
    roundTrips(
      midExtension,
      fc
        .string({ unit: 'binary', maxLength: 60 })
        .filter((s) => !s.endsWith('\0') && new TextDecoder().decode(new TextEncoder().encode(s)) === s),
    );
    roundTrips(absSendTimeExtension, fc.integer({ min: 0, max: 0xffffff }));
    roundTrips(transportWideCcExtension, fc.integer({ min: 0, max: 0xffff }));
    roundTrips(
      audioLevelExtension,
      fc.record({ voiceActivity: fc.boolean(), level: fc.integer({ min: 0, max: 127 }) }),
    );
    roundTrips(
      videoOrientationExtension,
      fc.record({
        backCamera: fc.boolean(),
        flip: fc.boolean(),
        rotation: fc.constantFrom(0 as const, 90 as const, 180 as const, 270 as const),
      }),
    );
    roundTrips(
      playoutDelayExtension,
      fc.record({
        minDelayMs: fc.integer({ min: 0, max: 0xfff }).map((v) => v * 10),
        maxDelayMs: fc.integer({ min: 0, max: 0xfff }).map((v) => v * 10),
      }),
    );
    roundTrips(
      absCaptureTimeExtension,
      fc.oneof(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((t) => ({ absoluteCaptureTimestamp: t })),
        fc
          .tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))
          .map(([t, o]) => ({ absoluteCaptureTimestamp: t, estimatedCaptureClockOffset: o })),
      ),
    );
  });

  it('random element data only ever throws ParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (data) => {
        for (const codec of BUILTIN_EXTENSION_CODECS.values()) {
          try {
            codec.decode(data);
          } catch (err) {
            if (!isParseError(err)) throw err;
          }
        }
      }),
    );
  });
});
