import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Av1Depacketizer, Av1Packetizer } from '../src/av1.js';
import { joinObus, type Obu } from '../src/av1-obu.js';
import { H264Depacketizer, H264Packetizer } from '../src/h264.js';
import { joinAnnexB } from '../src/h264-nal.js';
import type { Packetizer, RtpPayload } from '../src/types.js';
import { Vp8Depacketizer, Vp8Packetizer } from '../src/vp8.js';
import { assemble, frames, shuffleWithin, toPackets } from './helpers.js';

function checkMtu(p: Packetizer, out: RtpPayload[]): void {
  for (const x of out) expect(x.payload.byteLength).toBeLessThanOrEqual(p.maxPayloadSize);
  expect(out.map((x) => x.marker)).toEqual(out.map((_, i) => i === out.length - 1));
}

const mtu = fc.integer({ min: 16, max: 1500 });
const seed = fc.integer({ min: 1, max: 2 ** 31 });

describe('packetizers on arbitrary frames (property)', () => {
  it('VP8: any bytes, any MTU → within MTU and reassembled identical', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 5000 }), { minLength: 1, maxLength: 4 }),
        mtu,
        seed,
        (input, max, s) => {
          // A non-keyframe tag (P=1) so the depacketizer's frame-header parse accepts any bytes.
          const source = input.map((f) => Uint8Array.of(f[0]! | 1, ...f.subarray(1), 0, 0));
          const p = new Vp8Packetizer({ maxPayloadSize: max });
          const perFrame = source.map((f) => p.packetize(f));
          for (const out of perFrame) checkMtu(p, out);
          const out = frames(assemble(new Vp8Depacketizer(), shuffleWithin(toPackets(perFrame), 4, s), 4));
          expect(out.map((f) => f.data)).toEqual(source);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('H.264: any NAL units, any MTU → within MTU and reassembled identical', () => {
    const nal = fc
      .tuple(
        fc.constantFrom(1, 5, 6, 9, 12),
        fc.integer({ min: 0, max: 3 }),
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
      )
      .map(([type, nri, body]) =>
        // first_mb_in_slice = 0 (a slice that may start a picture); no 0x000001 inside.
        Uint8Array.of((nri << 5) | type, ...body.map((b, i) => (i === 0 ? b | 0x81 : b | 1))),
      );
    fc.assert(
      fc.property(
        fc.array(fc.array(nal, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        mtu,
        seed,
        (units, max, s) => {
          const p = new H264Packetizer({ maxPayloadSize: max, prependParameterSets: false });
          const perFrame = units.map((u) => p.packetizeNals(u));
          for (const out of perFrame) checkMtu(p, out);
          const out = frames(assemble(new H264Depacketizer(), shuffleWithin(toPackets(perFrame), 4, s), 4));
          expect(out.map((f) => f.data)).toEqual(units.map(joinAnnexB));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('AV1: any OBUs, any MTU → within MTU and reassembled identical', () => {
    const obu = fc.tuple(fc.constantFrom(4, 5, 6), fc.boolean(), fc.uint8Array({ maxLength: 3000 })).map(
      ([type, ext, payload]): Obu => ({
        type,
        header: ext ? Uint8Array.of((type << 3) | 0x06, 0x20) : Uint8Array.of((type << 3) | 0x02),
        payload,
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(obu, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
        mtu,
        seed,
        (units, max, s) => {
          const td: Obu = { type: 2, header: Uint8Array.of(0x12), payload: new Uint8Array() };
          const source = units.map((u) => joinObus([td, ...u]));
          const p = new Av1Packetizer({ maxPayloadSize: max });
          const perFrame = source.map((tu) => p.packetize(tu));
          for (const out of perFrame) checkMtu(p, out);
          const out = frames(assemble(new Av1Depacketizer(), shuffleWithin(toPackets(perFrame), 4, s), 4));
          expect(out.map((f) => f.data)).toEqual(source);
        },
      ),
      { numRuns: 50 },
    );
  });
});
