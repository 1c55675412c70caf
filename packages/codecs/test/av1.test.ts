import { fromHex, isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Av1Depacketizer,
  Av1Packetizer,
  decodeAv1AggregationHeader,
  decodeAv1Payload,
  encodeAv1AggregationHeader,
  inspectAv1TemporalUnit,
} from '../src/av1.js';
import {
  buildAv1CodecConfigurationRecord,
  joinObus,
  leb128Size,
  ObuType,
  readLeb128,
  splitObus,
  writeLeb128,
} from '../src/av1-obu.js';
import { assemble, fixture, frames, ivfFrames, shuffleWithin, toPackets } from './helpers.js';

const av1 = ivfFrames(fixture('av1.ivf'));

describe('AV1 OBUs and LEB128', () => {
  it('round-trips LEB128 values (property) and rejects overlong ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => {
        const buf = new Uint8Array(8);
        const n = writeLeb128(buf, 0, v);
        expect(n).toBe(leb128Size(v));
        expect(readLeb128(buf, 0)).toEqual({ value: v, length: n });
      }),
    );
    expect(readLeb128(fromHex('e5 8e 26'), 0)).toEqual({ value: 624485, length: 3 });
    expect(() => readLeb128(fromHex('ffffffffffffffff01'), 0)).toThrow(/longer than 8/);
    expect(() => readLeb128(fromHex('80'), 0)).toThrow(/past the end/);
  });

  it('splits the fixture temporal units and re-joins them byte-identical', () => {
    for (const tu of av1) expect(joinObus(splitObus(tu))).toEqual(tu);
    const first = splitObus(av1[0]!);
    expect(first.map((o) => o.type)).toEqual([ObuType.temporalDelimiter, ObuType.sequenceHeader, ObuType.frame]);
  });

  it('detects key frames and parses the sequence header of the real bitstream', () => {
    const first = inspectAv1TemporalUnit(splitObus(av1[0]!));
    expect(first.keyframe).toBe(true);
    expect(first.sequenceHeader).toMatchObject({
      profile: 0,
      maxWidth: 320,
      maxHeight: 240,
      reducedStillPictureHeader: false,
    });
    expect(av1.map((tu) => inspectAv1TemporalUnit(splitObus(tu)).keyframe)).toEqual(av1.map((_, i) => i % 10 === 0));
  });
});

describe('AV1 codec configuration record', () => {
  it('matches the av1C ffmpeg writes for the fixture', () => {
    // ffmpeg -i av1.ivf -c copy av1.mp4; bytes of its av1C box.
    const seq = splitObus(av1[0]!).find((o) => o.type === ObuType.sequenceHeader)!;
    expect(buildAv1CodecConfigurationRecord(seq)).toEqual(fromHex('81000c000a0b000000043cffbcdaf90040'));
    expect(inspectAv1TemporalUnit([seq]).sequenceHeader).toMatchObject({
      subsamplingX: 1,
      subsamplingY: 1,
      highBitdepth: false,
    });
  });
});

describe('AV1 RTP payload (AV1 RTP spec §4)', () => {
  it('encodes and decodes aggregation headers', () => {
    expect(decodeAv1AggregationHeader(0xe8)).toEqual({
      continuesFragment: true,
      fragmentContinues: true,
      elementCount: 2,
      newCodedVideoSequence: true,
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (b) => {
        expect(encodeAv1AggregationHeader(decodeAv1AggregationHeader(b))).toBe(b & 0xf8);
      }),
    );
  });

  it('decodes W=2 (last element without length) and W=0 payloads', () => {
    expect(decodeAv1Payload(fromHex('20 02 aabb cc dd')).elements.map((e) => [...e])).toEqual([
      [0xaa, 0xbb],
      [0xcc, 0xdd],
    ]);
    expect(decodeAv1Payload(fromHex('00 01 aa 02 bbcc')).elements).toHaveLength(2);
    expect(() => decodeAv1Payload(fromHex('00 05 aa'))).toThrow(/past the end/);
    expect(() => decodeAv1Payload(fromHex('30 01 aa'))).toThrow(/fewer OBU elements/);
  });

  it('drops the temporal delimiter, sets N on key frames and respects the MTU', () => {
    for (const max of [20, 300, 1200]) {
      const p = new Av1Packetizer({ maxPayloadSize: max });
      av1.forEach((tu, i) => {
        const out = p.packetize(tu);
        for (const x of out) expect(x.payload.byteLength).toBeLessThanOrEqual(max);
        const first = decodeAv1Payload(out[0]!.payload);
        expect(first.header.newCodedVideoSequence).toBe(i % 10 === 0);
        expect(first.header.continuesFragment).toBe(false);
        expect((first.elements[0]![0]! >> 3) & 0xf).not.toBe(ObuType.temporalDelimiter);
        expect(out.map((x) => x.marker)).toEqual(out.map((_, k) => k === out.length - 1));
      });
    }
  });

  it('reassembles every temporal unit byte-identical after reordering (property)', () => {
    const p = new Av1Packetizer({ maxPayloadSize: 200 });
    const packets = toPackets(av1.map((tu) => p.packetize(tu)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 16 }), (seed, window) => {
        const events = assemble(new Av1Depacketizer(), shuffleWithin(packets, window, seed), window);
        expect(events.every((e) => e.type === 'frame')).toBe(true);
        const out = frames(events);
        expect(out.map((f) => f.data)).toEqual(av1);
        expect(out.map((f) => f.keyframe)).toEqual(av1.map((_, i) => i % 10 === 0));
        expect(out[0]).toMatchObject({ width: 320, height: 240 });
      }),
      { numRuns: 30 },
    );
  });

  it('reports a lost fragment as incomplete and an orphan continuation as invalid', () => {
    const p = new Av1Packetizer({ maxPayloadSize: 200 });
    const packets = toPackets(av1.map((tu) => p.packetize(tu)));
    const events = assemble(
      new Av1Depacketizer(),
      packets.filter((_, i) => i !== 1),
    );
    expect(events[0]).toMatchObject({ type: 'incomplete', reason: 'missing-packets', timestamp: 1000 });
    expect(frames(events)).toHaveLength(av1.length - 1);
    const d = new Av1Depacketizer();
    expect(() => d.assemble([d.parse(fromHex('90 30 00'))])).toThrow(/continuation/);
    expect(d.assemble([d.parse(fromHex('50 30 00'))])).toBeUndefined();
  });

  it('random payloads only throw ParseError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (b) => {
        const d = new Av1Depacketizer();
        try {
          d.assemble([d.parse(b)]);
        } catch (err) {
          expect(isParseError(err)).toBe(true);
        }
      }),
    );
  });
});
