import { fromHex, isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeVp9Descriptor, encodeVp9Descriptor, type Vp9Descriptor } from '../src/vp9-descriptor.js';
import { buildVp9Superframe, parseVp9FrameHeader, Vp9Depacketizer, Vp9Packetizer } from '../src/vp9.js';
import { assemble, fixture, frames, ivfFrames, shuffleWithin, toPackets } from './helpers.js';

const vp9 = ivfFrames(fixture('vp9.ivf'));

describe('VP9 payload descriptor (RFC 9628 §4.2)', () => {
  it('decodes a non-flexible keyframe descriptor with SS', () => {
    // I=1 P=0 L=1 F=0 B=1 E=0 V=1 Z=0; PictureID 15-bit 0x0102; TID=0 U=0 SID=0 D=0; TL0PICIDX=9;
    // SS: N_S=1 (2 layers) Y=1 G=1; 160x120, 320x240; N_G=1: TID=0 U=0 R=1, P_DIFF=1
    const bytes = fromHex('aa 8102 00 09 38 00a00078 014000f0 01 04 01');
    const { descriptor, length } = decodeVp9Descriptor(bytes);
    expect(length).toBe(bytes.byteLength);
    expect(descriptor).toEqual({
      interPicturePredicted: false,
      flexibleMode: false,
      beginningOfFrame: true,
      endOfFrame: false,
      notReferenceForUpperLayers: false,
      pictureId: 0x0102,
      pictureIdBits: 15,
      layer: { temporalId: 0, switchingUpPoint: false, spatialId: 0, interLayerDependency: false, tl0PicIdx: 9 },
      scalabilityStructure: {
        spatialLayers: 2,
        resolutions: [
          { width: 160, height: 120 },
          { width: 320, height: 240 },
        ],
        pictureGroup: [{ temporalId: 0, switchingUpPoint: false, referenceDiffs: [1] }],
      },
    });
    expect(encodeVp9Descriptor(descriptor)).toEqual(bytes);
  });

  it('decodes flexible mode reference indices', () => {
    // I=1 P=1 L=1 F=1 B=0 E=1 V=0 Z=1; 7-bit PictureID 5; TID=2 U=1 SID=1 D=1; P_DIFF 1 (N=1), 3 (N=0)
    const { descriptor } = decodeVp9Descriptor(fromHex('f5 05 53 03 06 ff'));
    expect(descriptor).toMatchObject({
      interPicturePredicted: true,
      flexibleMode: true,
      endOfFrame: true,
      notReferenceForUpperLayers: true,
      pictureId: 5,
      pictureIdBits: 7,
      layer: { temporalId: 2, switchingUpPoint: true, spatialId: 1, interLayerDependency: true },
      referenceDiffs: [1, 3],
    });
    expect(() => decodeVp9Descriptor(fromHex('f5 05 53 03 03 03 03'))).toThrow(/three P_DIFF/);
  });

  it('round-trips any descriptor (property)', () => {
    const layer = fc.record({
      temporalId: fc.integer({ min: 0, max: 7 }),
      switchingUpPoint: fc.boolean(),
      spatialId: fc.integer({ min: 0, max: 7 }),
      interLayerDependency: fc.boolean(),
      tl0PicIdx: fc.integer({ min: 0, max: 255 }),
    });
    const ss = fc.record(
      {
        spatialLayers: fc.integer({ min: 1, max: 8 }),
        resolutions: fc.array(
          fc.record({ width: fc.integer({ min: 0, max: 65535 }), height: fc.integer({ min: 0, max: 65535 }) }),
        ),
        pictureGroup: fc.array(
          fc.record({
            temporalId: fc.integer({ min: 0, max: 7 }),
            switchingUpPoint: fc.boolean(),
            referenceDiffs: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }),
          }),
          { maxLength: 255 },
        ),
      },
      { requiredKeys: ['spatialLayers'] },
    );
    const arb = fc.record(
      {
        interPicturePredicted: fc.boolean(),
        flexibleMode: fc.boolean(),
        beginningOfFrame: fc.boolean(),
        endOfFrame: fc.boolean(),
        notReferenceForUpperLayers: fc.boolean(),
        pictureId: fc.integer({ min: 0, max: 0x7fff }),
        pictureIdBits: fc.constantFrom(7 as const, 15 as const),
        layer,
        referenceDiffs: fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 3 }),
        scalabilityStructure: ss,
      },
      {
        requiredKeys: [
          'interPicturePredicted',
          'flexibleMode',
          'beginningOfFrame',
          'endOfFrame',
          'notReferenceForUpperLayers',
        ],
      },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const d: Record<string, unknown> = { ...raw };
        if (raw.pictureId === undefined) delete d.pictureIdBits;
        else {
          d.pictureIdBits = raw.pictureIdBits ?? 15;
          if (d.pictureIdBits === 7) d.pictureId = raw.pictureId & 0x7f;
        }
        if (raw.layer && raw.flexibleMode) {
          const { tl0PicIdx: _, ...rest } = raw.layer;
          d.layer = rest;
        }
        if (!(raw.flexibleMode && raw.interPicturePredicted)) delete d.referenceDiffs;
        else d.referenceDiffs = raw.referenceDiffs ?? [0];
        if (raw.scalabilityStructure?.resolutions) {
          const n = raw.scalabilityStructure.spatialLayers;
          const res = Array.from(
            { length: n },
            (_, i) => raw.scalabilityStructure!.resolutions![i] ?? { width: 1, height: 2 },
          );
          d.scalabilityStructure = { ...raw.scalabilityStructure, resolutions: res };
        }
        const encoded = encodeVp9Descriptor(d as unknown as Vp9Descriptor);
        const decoded = decodeVp9Descriptor(encoded);
        expect(decoded.length).toBe(encoded.byteLength);
        expect(decoded.descriptor).toEqual(d);
      }),
    );
  });

  it('random bytes only ever throw ParseError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        try {
          new Vp9Depacketizer().parse(bytes);
        } catch (err) {
          expect(isParseError(err)).toBe(true);
        }
      }),
    );
  });
});

describe('VP9 frames', () => {
  it('detects keyframes and size from the real bitstream', () => {
    expect(parseVp9FrameHeader(vp9[0]!)).toMatchObject({ keyframe: true, width: 320, height: 240, profile: 0 });
    expect(vp9.map((f) => parseVp9FrameHeader(f).keyframe)).toEqual(vp9.map((_, i) => i % 10 === 0));
  });

  it('builds a superframe index (Annex B)', () => {
    const sf = buildVp9Superframe([new Uint8Array(3).fill(1), new Uint8Array(300).fill(2)]);
    // marker 0b110 01 001: 2-byte sizes, 2 frames
    expect([...sf.subarray(303)]).toEqual([0xc9, 3, 0, 0x2c, 0x01, 0xc9]);
  });

  it('packetizes within the MTU with SS on keyframes', () => {
    for (const max of [40, 1200]) {
      const p = new Vp9Packetizer({ maxPayloadSize: max });
      vp9.forEach((f, i) => {
        const out = p.packetize(f);
        for (const x of out) expect(x.payload.byteLength).toBeLessThanOrEqual(max);
        const d0 = decodeVp9Descriptor(out[0]!.payload).descriptor;
        expect(d0.beginningOfFrame).toBe(true);
        expect(d0.interPicturePredicted).toBe(i % 10 !== 0);
        expect(d0.scalabilityStructure !== undefined).toBe(i % 10 === 0);
        expect(decodeVp9Descriptor(out.at(-1)!.payload).descriptor.endOfFrame).toBe(true);
        expect(out.map((x) => x.marker)).toEqual(out.map((_, k) => k === out.length - 1));
      });
    }
  });

  it('reassembles every frame byte-identical after reordering (property)', () => {
    const p = new Vp9Packetizer({ maxPayloadSize: 200 });
    const packets = toPackets(vp9.map((f) => p.packetize(f)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 16 }), (seed, window) => {
        const events = assemble(new Vp9Depacketizer(), shuffleWithin(packets, window, seed), window);
        expect(events.every((e) => e.type === 'frame')).toBe(true);
        const out = frames(events);
        expect(out.map((f) => f.data)).toEqual(vp9);
        expect(out.map((f) => f.keyframe)).toEqual(vp9.map((_, i) => i % 10 === 0));
        expect(out[0]).toMatchObject({ width: 320, height: 240 });
      }),
      { numRuns: 30 },
    );
  });

  it('joins spatial layers of a picture into a superframe', () => {
    const d = new Vp9Depacketizer();
    const mk = (sid: number, b: boolean, e: boolean, data: number[]) =>
      Uint8Array.of(
        ...encodeVp9Descriptor({
          interPicturePredicted: true,
          flexibleMode: true,
          beginningOfFrame: b,
          endOfFrame: e,
          notReferenceForUpperLayers: false,
          layer: { temporalId: 0, switchingUpPoint: false, spatialId: sid, interLayerDependency: sid > 0 },
          referenceDiffs: [1],
        }),
        ...data,
      );
    const parts = [mk(0, true, true, [1, 2]), mk(1, true, false, [3]), mk(1, false, true, [4])].map((x) => d.parse(x));
    expect(parts.map((x) => x.frameStart)).toEqual([true, undefined, false]);
    expect([...d.assemble(parts)!.data]).toEqual([1, 2, 3, 4, 0xc1, 2, 2, 0xc1]);
  });

  it('reports a lost packet as incomplete', () => {
    const p = new Vp9Packetizer({ maxPayloadSize: 200 });
    const packets = toPackets(vp9.map((f) => p.packetize(f)));
    const events = assemble(
      new Vp9Depacketizer(),
      packets.filter((_, i) => i !== 2),
    );
    expect(events[0]).toMatchObject({ type: 'incomplete', reason: 'missing-packets', timestamp: 1000 });
    expect(frames(events)).toHaveLength(vp9.length - 1);
  });
});
