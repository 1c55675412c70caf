import { bytesEqual, fromHex, isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { H264Depacketizer, H264Packetizer } from '../src/h264.js';
import { joinAnnexB, NalType, nalType, splitAccessUnits, splitAnnexB } from '../src/h264-nal.js';
import { buildAvcDecoderConfigurationRecord, H264ParameterSets } from '../src/h264-params.js';
import { parseH264Sps, profileLevelId } from '../src/h264-sps.js';
import { assemble, fixture, frames, shuffleWithin, toPackets } from './helpers.js';

const stream = fixture('h264.h264');
const units = splitAccessUnits(splitAnnexB(stream));
const accessUnits = units.map(joinAnnexB);

describe('H.264 Annex-B and SPS', () => {
  it('splits the fixture into 15 access units, IDR every 10', () => {
    expect(units).toHaveLength(15);
    expect(units.map((u) => u.some((n) => nalType(n) === NalType.idr))).toEqual(units.map((_, i) => i % 10 === 0));
    expect(units[0]!.map(nalType)).toEqual([NalType.sps, NalType.pps, NalType.sei, NalType.idr]);
  });

  it('handles 3- and 4-byte start codes and trailing zeros', () => {
    const nals = splitAnnexB(fromHex('0000000167aa 000001 68bb 0000 00000165cc'));
    expect(nals.map((n) => [...n])).toEqual([
      [0x67, 0xaa],
      [0x68, 0xbb],
      [0x65, 0xcc],
    ]);
  });

  it('parses the fixture SPS (baseline 320x240)', () => {
    const sps = parseH264Sps(units[0]![0]!);
    expect(sps).toMatchObject({ profileIdc: 66, width: 320, height: 240, chromaFormatIdc: 1, bitDepthLuma: 8 });
    expect(profileLevelId(sps)).toBe('42c00d');
  });

  it('parses a high-profile SPS with cropping (1920x1080)', () => {
    // x264 High profile 1920x1080: 1088 coded lines cropped by 8.
    const sps = parseH264Sps(fromHex('6764002aacd940780227e5c04400000300040000030078' + '3c60c658'));
    expect(sps).toMatchObject({ profileIdc: 100, levelIdc: 42, width: 1920, height: 1080 });
  });

  it('random SPS bytes only throw ParseError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        try {
          parseH264Sps(Uint8Array.of(0x67, ...b));
        } catch (err) {
          expect(isParseError(err)).toBe(true);
        }
      }),
    );
  });

  it('builds an avcC record from the parameter sets', () => {
    const ps = new H264ParameterSets();
    ps.observe(units[0]!);
    const sps = units[0]![0]!;
    const pps = units[0]![1]!;
    const avcc = buildAvcDecoderConfigurationRecord(ps.sps, ps.pps);
    expect([...avcc.subarray(0, 6)]).toEqual([1, 0x42, 0xc0, 0x0d, 0xff, 0xe1]);
    expect(bytesEqual(avcc.subarray(8, 8 + sps.byteLength), sps)).toBe(true);
    expect(avcc[8 + sps.byteLength]).toBe(1);
    expect(avcc.byteLength).toBe(6 + 2 + sps.byteLength + 1 + 2 + pps.byteLength);
  });
});

describe('H.264 packetizer (RFC 6184)', () => {
  it('aggregates SPS/PPS/SEI into a STAP-A and fragments the IDR with FU-A', () => {
    const out = new H264Packetizer({ maxPayloadSize: 1200 }).packetize(accessUnits[0]!);
    const first = out[0]!.payload;
    expect(first[0]! & 0x1f).toBe(NalType.stapA);
    const spsLen = units[0]![0]!.byteLength;
    expect([first[1], first[2], first[3]]).toEqual([spsLen >> 8, spsLen & 0xff, units[0]![0]![0]]);
    const fus = out.filter((p) => (p.payload[0]! & 0x1f) === NalType.fuA);
    expect(fus.length).toBeGreaterThan(1);
    expect(fus[0]!.payload[1]).toBe(0x80 | NalType.idr);
    expect(fus.at(-1)!.payload[1]).toBe(0x40 | NalType.idr);
    expect(out.map((p) => p.marker)).toEqual(out.map((_, i) => i === out.length - 1));
  });

  it('respects the MTU in both modes', () => {
    for (const max of [60, 500, 1200]) {
      const p = new H264Packetizer({ maxPayloadSize: max });
      for (const au of accessUnits)
        for (const x of p.packetize(au)) expect(x.payload.byteLength).toBeLessThanOrEqual(max);
    }
    const mode0 = new H264Packetizer({ maxPayloadSize: 65000, packetizationMode: 0 });
    const out = mode0.packetize(accessUnits[0]!);
    expect(out.map((p) => p.payload[0]! & 0x1f)).toEqual([7, 8, 6, 5]);
    expect(() => new H264Packetizer({ maxPayloadSize: 200, packetizationMode: 0 }).packetize(accessUnits[0]!)).toThrow(
      /packetization-mode 0/,
    );
  });

  it('prepends the last SPS/PPS to an IDR that lacks them', () => {
    const p = new H264Packetizer({ maxPayloadSize: 100000, packetizationMode: 0 });
    p.packetize(accessUnits[0]!);
    const idrOnly = units[10]!.filter((n) => nalType(n) === NalType.idr);
    expect(p.packetizeNals(idrOnly).map((x) => x.payload[0]! & 0x1f)).toEqual([7, 8, 5]);
  });
});

describe('H.264 depacketizer', () => {
  const packetize = (max: number, mode: 0 | 1 = 1) => {
    const p = new H264Packetizer({ maxPayloadSize: max, packetizationMode: mode });
    return toPackets(accessUnits.map((au) => p.packetize(au)));
  };

  it('reassembles every access unit byte-identical after reordering (property)', () => {
    const packets = packetize(300);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 16 }), (seed, window) => {
        const events = assemble(new H264Depacketizer(), shuffleWithin(packets, window, seed), window);
        expect(events.every((e) => e.type === 'frame')).toBe(true);
        const out = frames(events);
        expect(out.map((f) => f.data)).toEqual(accessUnits);
        expect(out.map((f) => f.keyframe)).toEqual(accessUnits.map((_, i) => i % 10 === 0));
        expect(out[0]).toMatchObject({ width: 320, height: 240 });
      }),
      { numRuns: 30 },
    );
  });

  it('reassembles single-NAL mode', () => {
    expect(frames(assemble(new H264Depacketizer(), packetize(65000, 0))).map((f) => f.data)).toEqual(accessUnits);
  });

  it('prepends SPS/PPS to an IDR received without them and flags it a keyframe', () => {
    const p = new H264Packetizer({ maxPayloadSize: 1200, prependParameterSets: false });
    const idrOnly = units[10]!.filter((n) => nalType(n) === NalType.idr);
    const packets = toPackets([p.packetizeNals(units[0]!), p.packetizeNals(idrOnly)]);
    const out = frames(assemble(new H264Depacketizer(), packets));
    expect(out[1]!.keyframe).toBe(true);
    expect(splitAnnexB(out[1]!.data).map(nalType)).toEqual([7, 8, 5]);
  });

  it('an IDR without any known SPS/PPS is not a keyframe', () => {
    const p = new H264Packetizer({ maxPayloadSize: 1200 });
    const idrOnly = units[10]!.filter((n) => nalType(n) === NalType.idr);
    const out = frames(assemble(new H264Depacketizer(), toPackets([p.packetizeNals(idrOnly)])));
    expect(out[0]!.keyframe).toBe(false);
  });

  it('outputs length-prefixed NAL units on request', () => {
    const out = frames(assemble(new H264Depacketizer({ output: 'avc' }), packetize(1200)));
    const first = out[0]!.data;
    expect(new DataView(first.buffer, first.byteOffset).getUint32(0)).toBe(units[0]![0]!.byteLength);
  });

  it('reports a lost FU-A fragment as incomplete', () => {
    const packets = packetize(300);
    const fuMiddle = packets.findIndex((p) => (p.payload[0]! & 0x1f) === NalType.fuA && (p.payload[1]! & 0xc0) === 0);
    const events = assemble(
      new H264Depacketizer(),
      packets.filter((_, i) => i !== fuMiddle),
    );
    expect(events[0]).toMatchObject({ type: 'incomplete', reason: 'missing-packets', timestamp: 1000 });
    expect(frames(events)).toHaveLength(14);
  });

  it('reports an unterminated FU-A as an invalid frame', () => {
    const d = new H264Depacketizer();
    const start = d.parse(Uint8Array.of(0x7c, 0x85, 1, 2));
    expect(d.assemble([start])).toBeUndefined();
  });

  it('rejects interleaved-mode and malformed payloads with ParseError', () => {
    const d = new H264Depacketizer();
    for (const hex of ['', '19', '1a00', '80', '7c', '7cc5aa', '7c85', '180000', '180005aa']) {
      expect(() => d.parse(fromHex(hex))).toThrow(expect.objectContaining({ name: 'ParseError' }));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
        try {
          d.parse(b);
        } catch (err) {
          expect(isParseError(err)).toBe(true);
        }
      }),
    );
  });
});
