import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeVp8Descriptor,
  encodeVp8Descriptor,
  parseVp8FrameHeader,
  type Vp8Descriptor,
  Vp8Depacketizer,
  Vp8Packetizer,
} from '../src/vp8.js';
import { assemble, fixture, frames, ivfFrames, shuffleWithin, toPackets } from './helpers.js';

const vp8 = ivfFrames(fixture('vp8.ivf'));

describe('VP8 payload descriptor (RFC 7741 §4.2)', () => {
  it('decodes golden descriptors', () => {
    // X=1 S=1 PID=0; I=1 L=1 T=1 K=1; M=1 PictureID=0x1234; TL0PICIDX=7; TID=2 Y=1 KEYIDX=5
    const { descriptor, length } = decodeVp8Descriptor(Uint8Array.from([0x90, 0xf0, 0x92, 0x34, 0x07, 0xa5, 0xaa]));
    expect(length).toBe(6);
    expect(descriptor).toEqual({
      nonReference: false,
      startOfPartition: true,
      partitionIndex: 0,
      pictureId: 0x1234,
      pictureIdBits: 15,
      tl0PicIdx: 7,
      temporalLayerId: 2,
      layerSync: true,
      keyIndex: 5,
    });
    // 7-bit PictureID, N=1, PID=3, no S.
    expect(decodeVp8Descriptor(Uint8Array.from([0xa3, 0x80, 0x2a, 0xff])).descriptor).toEqual({
      nonReference: true,
      startOfPartition: false,
      partitionIndex: 3,
      pictureId: 0x2a,
      pictureIdBits: 7,
    });
    expect(decodeVp8Descriptor(Uint8Array.from([0x10, 0x00])).length).toBe(1);
  });

  it('encodes golden bytes', () => {
    expect([...encodeVp8Descriptor({ nonReference: false, startOfPartition: true, partitionIndex: 0 })]).toEqual([
      0x10,
    ]);
    const d: Vp8Descriptor = {
      nonReference: false,
      startOfPartition: true,
      partitionIndex: 0,
      pictureId: 0x1234,
      pictureIdBits: 15,
    };
    expect([...encodeVp8Descriptor(d)]).toEqual([0x90, 0x80, 0x92, 0x34]);
  });

  it('round-trips any descriptor (property)', () => {
    const arb = fc.record(
      {
        nonReference: fc.boolean(),
        startOfPartition: fc.boolean(),
        partitionIndex: fc.integer({ min: 0, max: 7 }),
        pictureId: fc.integer({ min: 0, max: 0x7fff }),
        pictureIdBits: fc.constantFrom(7 as const, 15 as const),
        tl0PicIdx: fc.integer({ min: 0, max: 255 }),
        temporalLayerId: fc.integer({ min: 0, max: 3 }),
        layerSync: fc.boolean(),
        keyIndex: fc.integer({ min: 0, max: 31 }),
      },
      { requiredKeys: ['nonReference', 'startOfPartition', 'partitionIndex'] },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const d: Record<string, unknown> = { ...raw };
        if (raw.pictureId === undefined) delete d.pictureIdBits;
        else {
          d.pictureIdBits = raw.pictureIdBits ?? 15;
          if (d.pictureIdBits === 7) d.pictureId = raw.pictureId & 0x7f;
        }
        if (raw.temporalLayerId === undefined) delete d.layerSync;
        else d.layerSync = raw.layerSync ?? false;
        const encoded = encodeVp8Descriptor(d as unknown as Vp8Descriptor);
        const decoded = decodeVp8Descriptor(encoded);
        expect(decoded.length).toBe(encoded.byteLength);
        expect(decoded.descriptor).toEqual(d);
      }),
    );
  });

  it('random bytes only ever throw ParseError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), (bytes) => {
        try {
          new Vp8Depacketizer().parse(bytes);
        } catch (err) {
          expect(isParseError(err)).toBe(true);
        }
      }),
    );
  });
});

describe('VP8 frame header', () => {
  it('detects keyframes and size from the real bitstream', () => {
    const first = parseVp8FrameHeader(vp8[0] as Uint8Array);
    expect(first).toMatchObject({ keyframe: true, width: 320, height: 240, showFrame: true });
    expect(parseVp8FrameHeader(vp8[1] as Uint8Array).keyframe).toBe(false);
    // The fixture is made with -g 10: frames 0 and 10 are keyframes.
    expect(vp8.map((f) => parseVp8FrameHeader(f).keyframe)).toEqual(vp8.map((_, i) => i % 10 === 0));
  });

  it('rejects a keyframe without the start code', () => {
    expect(() => parseVp8FrameHeader(Uint8Array.from([0x10, 0, 0, 1, 2, 3, 0, 0, 0, 0]))).toThrow(/start code/);
  });
});

describe('VP8 packetizer and depacketizer', () => {
  it('respects the MTU and marks the last packet', () => {
    for (const max of [20, 100, 1200]) {
      const p = new Vp8Packetizer({ maxPayloadSize: max });
      for (const f of vp8) {
        const out = p.packetize(f);
        for (const x of out) expect(x.payload.byteLength).toBeLessThanOrEqual(max);
        expect(out.map((x) => x.marker)).toEqual(out.map((_, i) => i === out.length - 1));
        expect(decodeVp8Descriptor(out[0]!.payload).descriptor.startOfPartition).toBe(true);
      }
    }
  });

  it('increments the 15-bit PictureID per frame, wrapping', () => {
    const p = new Vp8Packetizer({ maxPayloadSize: 1200, initialPictureId: 0x7fff });
    const ids = [0, 1].map(
      () => decodeVp8Descriptor(p.packetize(vp8[1] as Uint8Array)[0]!.payload).descriptor.pictureId,
    );
    expect(ids).toEqual([0x7fff, 0]);
  });

  it('reassembles every frame byte-identical after reordering within the window (property)', () => {
    const p = new Vp8Packetizer({ maxPayloadSize: 300 });
    const packets = toPackets(vp8.map((f) => p.packetize(f)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 16 }), (seed, window) => {
        const events = assemble(new Vp8Depacketizer(), shuffleWithin(packets, window, seed), window);
        expect(events.every((e) => e.type === 'frame')).toBe(true);
        const out = frames(events);
        expect(out.map((f) => f.data)).toEqual(vp8);
        expect(out.map((f) => f.keyframe)).toEqual(vp8.map((_, i) => i % 10 === 0));
        expect(out[0]).toMatchObject({ width: 320, height: 240 });
      }),
      { numRuns: 30 },
    );
  });

  it('reports a frame with a lost packet as incomplete, never whole', () => {
    const p = new Vp8Packetizer({ maxPayloadSize: 300 });
    const perFrame = vp8.map((f) => p.packetize(f));
    const packets = toPackets(perFrame);
    expect(perFrame[0]!.length).toBeGreaterThan(4);
    const events = assemble(
      new Vp8Depacketizer(),
      packets.filter((_, i) => i !== 3),
    ); // inside frame 0
    const incomplete = events.filter((e) => e.type === 'incomplete');
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]).toMatchObject({ reason: 'missing-packets', timestamp: 1000 });
    const out = frames(events);
    expect(out).toHaveLength(vp8.length - 1);
    expect(out.map((f) => f.timestamp)).not.toContain(1000);
    expect(events[0]).toEqual(incomplete[0]); // reported in decode order
  });

  it('reports a frame whose first packet was lost', () => {
    const p = new Vp8Packetizer({ maxPayloadSize: 300 });
    const perFrame = vp8.map((f) => p.packetize(f));
    const lostIndex = perFrame.slice(0, 10).reduce((n, f) => n + f.length, 0); // first packet of frame 10
    expect(perFrame[10]!.length).toBeGreaterThan(1);
    const events = assemble(
      new Vp8Depacketizer(),
      toPackets(perFrame).filter((_, i) => i !== lostIndex),
    );
    expect(events[10]).toMatchObject({ type: 'incomplete', reason: 'missing-packets', timestamp: 1000 + 10 * 3000 });
    expect(frames(events)).toHaveLength(vp8.length - 1);
  });

  it('reports a wholly lost frame as lost packets between frames', () => {
    const p = new Vp8Packetizer({ maxPayloadSize: 1200 });
    const perFrame = vp8.slice(1, 6).map((f) => p.packetize(f));
    expect(perFrame[2]).toHaveLength(1);
    const packets = toPackets(perFrame).filter((x) => x.timestamp !== 1000 + 2 * 3000);
    const events = assemble(new Vp8Depacketizer(), packets);
    expect(events.map((e) => e.type)).toEqual(['frame', 'frame', 'incomplete', 'frame', 'frame']);
    expect(events[2]).toMatchObject({ reason: 'lost-packets', timestamp: undefined, receivedPackets: 0 });
  });

  it('drops duplicates and malformed payloads without throwing', () => {
    const p = new Vp8Packetizer({ maxPayloadSize: 1200 });
    const packets = toPackets(vp8.slice(0, 3).map((f) => p.packetize(f)));
    const withJunk = [
      ...packets.slice(0, 2),
      packets[1]!,
      { ...packets[2]!, sequenceNumber: 999, payload: Uint8Array.from([0x80]) },
      ...packets.slice(2),
    ];
    const events = assemble(new Vp8Depacketizer(), withJunk);
    expect(frames(events).map((f) => f.data)).toEqual(vp8.slice(0, 3));
  });
});
