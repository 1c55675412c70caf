import { bytesEqual } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameAssembler } from '../src/frame-assembler.js';
import type { AssembledMedia, DepacketizedPayload, Depacketizer, RtpPacketLike } from '../src/types.js';
import { Vp8Depacketizer, Vp8Packetizer } from '../src/vp8.js';
import { assemble, fixture, frames, ivfFrames, shuffleWithin, toPackets } from './helpers.js';

/** A format that cannot tell frame starts (like H.264 single NAL units): payload byte = frame id. */
interface OpaquePayload extends DepacketizedPayload {
  readonly data: Uint8Array;
}
class OpaqueDepacketizer implements Depacketizer<OpaquePayload> {
  parse(payload: Uint8Array): OpaquePayload {
    return { frameStart: undefined, data: payload };
  }
  assemble(parts: readonly OpaquePayload[]): AssembledMedia {
    return { data: Uint8Array.from(parts.flatMap((p) => [...p.data])), keyframe: false };
  }
}

const pkt = (seq: number, ts: number, marker: boolean, byte = ts & 0xff): RtpPacketLike => ({
  sequenceNumber: seq & 0xffff,
  timestamp: ts,
  marker,
  payload: Uint8Array.of(byte),
});

describe('FrameAssembler', () => {
  it('assembles across the sequence number wrap using continuity when the codec cannot tell', () => {
    const packets = [
      pkt(65534, 10, false),
      pkt(65535, 10, true),
      pkt(0, 20, false),
      pkt(1, 20, false),
      pkt(2, 20, true),
    ];
    const out = frames(assemble(new OpaqueDepacketizer(), packets));
    expect(out.map((f) => [f.timestamp, f.packetCount, f.firstSequenceNumber, f.lastSequenceNumber])).toEqual([
      [10, 2, 65534, 65535],
      [20, 3, 0, 2],
    ]);
  });

  it('counts duplicates and late packets', () => {
    const asm = new FrameAssembler(new OpaqueDepacketizer(), { reorderWindow: 2 });
    const events = [
      pkt(1, 10, true),
      pkt(1, 10, true),
      pkt(2, 20, true),
      pkt(3, 30, true),
      pkt(4, 40, true),
      pkt(1, 10, true),
    ].flatMap((p) => asm.push(p));
    expect(frames(events).map((f) => f.timestamp)).toEqual([10, 20, 30, 40]);
    expect(asm.dropCounters.get('duplicate')).toBe(1);
    expect(asm.dropCounters.get('late')).toBe(1);
  });

  it('gives up on a frame missing its start after the window, then continues', () => {
    // Frame 20 lost its first packet (seq 2); frame 30 follows.
    const packets = [
      pkt(1, 10, true),
      pkt(3, 20, true),
      ...Array.from({ length: 6 }, (_, i) => pkt(4 + i, 30 + i, true)),
    ];
    const asm = new FrameAssembler(new OpaqueDepacketizer(), { reorderWindow: 3 });
    const events = packets.flatMap((p) => asm.push(p));
    expect(events.map((e) => (e.type === 'frame' ? e.frame.timestamp : `x${e.timestamp}`))).toEqual([
      10,
      'x20',
      30,
      31,
      32,
      33,
      34,
      35,
    ]);
    expect(asm.flush()).toEqual([]);
  });

  it('padding-only packets between frames are neither loss nor a frame', () => {
    const pad = (seq: number, ts: number): RtpPacketLike => ({
      sequenceNumber: seq,
      timestamp: ts,
      marker: false,
      payload: new Uint8Array(),
    });
    const asm = new FrameAssembler(new OpaqueDepacketizer(), { reorderWindow: 2 });
    const events = [pkt(1, 10, true), pad(3, 10), pad(2, 10), pkt(4, 20, false), pkt(5, 20, true), pkt(6, 30, true)]
      .flatMap((p) => asm.push(p))
      .concat(asm.flush());
    expect(events.map((e) => (e.type === 'frame' ? e.frame.timestamp : e.reason))).toEqual([10, 20, 30]);
    expect(asm.dropCounters.get('padding')).toBe(2);
  });

  it('bounds pending frames and packets per frame', () => {
    const asm = new FrameAssembler(new OpaqueDepacketizer(), { reorderWindow: 1000, maxPendingFrames: 4 });
    // Ten frames that never see their marker: the oldest are forced out.
    const events = Array.from({ length: 10 }, (_, i) => pkt(i, 100 + i, false)).flatMap((p) => asm.push(p));
    expect(events.map((e) => (e.type === 'incomplete' ? [e.reason, e.timestamp] : e.type))).toEqual([
      ['overflow', 100],
      ['overflow', 101],
      ['overflow', 102],
      ['overflow', 103],
      ['overflow', 104],
      ['overflow', 105],
    ]);
    const big = new FrameAssembler(new OpaqueDepacketizer(), { maxPacketsPerFrame: 3 });
    const out = [pkt(1, 7, false), pkt(2, 7, false), pkt(3, 7, false), pkt(4, 7, true)].flatMap((p) => big.push(p));
    expect(out).toMatchObject([{ type: 'incomplete', reason: 'overflow', timestamp: 7, receivedPackets: 4 }]);
  });

  it('restarts after a large backwards sequence jump', () => {
    const asm = new FrameAssembler(new OpaqueDepacketizer(), { reorderWindow: 0 });
    const events = [pkt(40000, 1, true), pkt(40001, 2, true), pkt(30000, 3, true), pkt(30001, 4, true)].flatMap((p) =>
      asm.push(p),
    );
    expect(frames(events).map((f) => f.timestamp)).toEqual([1, 2, 3, 4]);
  });

  it('never emits a frame with a missing packet; every frame is emitted or reported (property)', () => {
    const source = ivfFrames(fixture('vp8.ivf'));
    const p = new Vp8Packetizer({ maxPayloadSize: 200 });
    const packets = toPackets(source.map((f) => p.packetize(f)));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 12 }),
        fc.uniqueArray(fc.integer({ min: 0, max: packets.length - 1 }), { maxLength: 10 }),
        (seed, window, lost) => {
          // Reorder first, then lose: reordering is bounded in sequence numbers, as the window is.
          const received = shuffleWithin(packets, window, seed).filter((p) => !lost.includes(packets.indexOf(p)));
          const events = assemble(new Vp8Depacketizer(), received, window);
          const lostTimestamps = new Set(lost.map((i) => packets[i]!.timestamp));
          const seen = new Set<number>();
          for (const e of events) {
            if (e.type !== 'frame') continue;
            const idx = (e.frame.timestamp - 1000) / 3000;
            expect(lostTimestamps.has(e.frame.timestamp)).toBe(false);
            expect(bytesEqual(e.frame.data, source[idx]!)).toBe(true);
            expect(seen.has(idx)).toBe(false);
            seen.add(idx);
          }
          // Every frame that lost nothing is emitted; each one that lost a packet is reported.
          expect(source.map((_, idx) => seen.has(idx))).toEqual(
            source.map((_, idx) => !lostTimestamps.has(1000 + idx * 3000)),
          );
          expect(events.filter((e) => e.type === 'incomplete').length).toBeGreaterThanOrEqual(
            lostTimestamps.size > 0 ? 1 : 0,
          );
          if (lost.length === 0) expect(seen.size).toBe(source.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
