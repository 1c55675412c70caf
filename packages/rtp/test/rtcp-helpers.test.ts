import { InvalidArgumentError } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  buildTransportCcFeedback,
  decodeRtcpPackets,
  encodeRtcpPacket,
  nackItemsFromSequences,
  sequencesFromNackItems,
  transportCcArrivals,
} from '../src/index.js';

describe('NACK PID/BLP packing (RFC 4585 §6.2.1)', () => {
  it('packs runs within 16 of the PID into one item', () => {
    expect(nackItemsFromSequences([100, 101, 103, 116])).toEqual([{ pid: 100, blp: 0b1000000000000101 }]);
    expect(nackItemsFromSequences([100, 117])).toEqual([
      { pid: 100, blp: 0 },
      { pid: 117, blp: 0 },
    ]);
    expect(nackItemsFromSequences([])).toEqual([]);
  });

  it('sorts, dedups and crosses the 16-bit wrap', () => {
    const items = nackItemsFromSequences([1, 65535, 0, 65534, 1, 65534]);
    expect(items).toEqual([{ pid: 65534, blp: 0b111 }]);
    expect(sequencesFromNackItems(items)).toEqual([65534, 65535, 0, 1]);
  });

  it('round-trips through the wire', () => {
    const lost = [5, 6, 7, 30, 31, 60, 61, 62, 77];
    const bytes = encodeRtcpPacket({ type: 'nack', senderSsrc: 1, mediaSsrc: 2, items: nackItemsFromSequences(lost) });
    const [p] = decodeRtcpPackets(bytes);
    expect(p?.type === 'nack' && sequencesFromNackItems(p.items)).toEqual(lost);
  });
});

describe('transport-cc builder', () => {
  it('round-trips mixed received/lost, small and large deltas, and a sequence wrap', () => {
    const base = 1_000_000_000; // µs on the receiver clock
    const packets = [
      { sequence: 65533, arrivalTimeUs: base + 1000 },
      { sequence: 65534, arrivalTimeUs: undefined },
      { sequence: 65535, arrivalTimeUs: base + 1250 }, // small delta
      { sequence: 0, arrivalTimeUs: base + 200_000 }, // large delta
      { sequence: 1, arrivalTimeUs: base + 199_000 }, // negative (reordered) delta
      // sequence 2 missing from the list -> reported lost
      { sequence: 3, arrivalTimeUs: base + 199_500 },
    ];
    const [fb, extra] = buildTransportCcFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 9, packets });
    expect(extra).toBeUndefined();
    if (fb === undefined) throw new Error('no feedback');
    expect(fb.baseSequence).toBe(65533);
    expect(fb.deltas.length).toBe(7);
    expect(fb.deltas[1]).toBeNull();
    expect(fb.deltas[5]).toBeNull();
    const [decoded] = decodeRtcpPackets(encodeRtcpPacket(fb));
    expect(decoded).toEqual(fb);
    if (decoded?.type !== 'twcc') throw new Error('not twcc');
    const arrivals = transportCcArrivals(decoded);
    expect(arrivals.map((a) => a.sequence)).toEqual([65533, 65534, 65535, 0, 1, 2, 3]);
    const expected = [base + 1000, undefined, base + 1250, base + 200_000, base + 199_000, undefined, base + 199_500];
    // times come back exactly when they are multiples of 250 µs
    expect(arrivals.map((a) => a.arrivalTimeUs)).toEqual(expected);
  });

  it('rounds to 250 µs ticks without accumulating error', () => {
    const packets = Array.from({ length: 100 }, (_, i) => ({ sequence: i, arrivalTimeUs: 5_000_000 + i * 333 }));
    const [fb] = buildTransportCcFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets });
    if (fb === undefined) throw new Error('no feedback');
    const arrivals = transportCcArrivals(fb);
    for (let i = 0; i < 100; i++) {
      expect(Math.abs((arrivals[i]?.arrivalTimeUs as number) - (5_000_000 + i * 333))).toBeLessThanOrEqual(125);
    }
  });

  it('starts a new feedback when a delta overflows 16 bits', () => {
    const packets = [
      { sequence: 10, arrivalTimeUs: 0 },
      { sequence: 11, arrivalTimeUs: 10_000_000 }, // 40 000 ticks later
    ];
    const fbs = buildTransportCcFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 255, packets });
    expect(fbs.map((f) => [f.baseSequence, f.feedbackPacketCount, f.deltas.length])).toEqual([
      [10, 255, 1],
      [11, 0, 1],
    ]);
    expect(transportCcArrivals(fbs[1] as never)[0]?.arrivalTimeUs).toBe(10_000_000);
  });

  it('splits at maxPacketStatusCount, keeping losses and the sequence continuous', () => {
    const packets = Array.from({ length: 10 }, (_, i) => ({
      sequence: (65530 + i) & 0xffff,
      arrivalTimeUs: i % 4 === 1 ? undefined : 1_000_000 + i * 1000,
    }));
    const fbs = buildTransportCcFeedback({
      senderSsrc: 1,
      mediaSsrc: 2,
      feedbackPacketCount: 0,
      packets,
      maxPacketStatusCount: 4,
    });
    expect(fbs.map((f) => [f.baseSequence, f.deltas.length, f.feedbackPacketCount])).toEqual([
      [65530, 4, 0],
      [65534, 4, 1],
      [2, 2, 2],
    ]);
    expect(fbs.flatMap(transportCcArrivals)).toEqual(packets);
    expect(() =>
      buildTransportCcFeedback({
        senderSsrc: 1,
        mediaSsrc: 2,
        feedbackPacketCount: 0,
        packets,
        maxPacketStatusCount: 0,
      }),
    ).toThrow(InvalidArgumentError);
  });

  it('rejects out-of-order input', () => {
    const packets = [
      { sequence: 5, arrivalTimeUs: 0 },
      { sequence: 4, arrivalTimeUs: 1000 },
    ];
    expect(() => buildTransportCcFeedback({ senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets })).toThrow(
      InvalidArgumentError,
    );
  });
});
