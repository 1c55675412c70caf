import { decodeRtcpPackets, encodeRtcpPackets, sequencesFromNackItems } from '@rtcwire/rtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NackGenerator } from '../src/index.js';

const ssrcs = { senderSsrc: 1, mediaSsrc: 2 };

function drain(g: NackGenerator): number[][] {
  const out: number[][] = [];
  for (let n = g.pollNack(); n; n = g.pollNack()) out.push(sequencesFromNackItems(n.items));
  return out;
}

describe('NackGenerator (RFC 4585 §6.2.1)', () => {
  it('NACKs a gap after the reorder wait, as RTCP that round-trips through @rtcwire/rtp', () => {
    const g = new NackGenerator({ ...ssrcs, minReorderWaitMs: 10 });
    g.handlePacket(0, 100);
    g.handlePacket(1, 103);
    expect(g.pollTimeout()).toBe(11);
    g.handleTimeout(10);
    expect(g.pollNack()).toBeUndefined();
    g.handleTimeout(11);
    const nack = g.pollNack();
    expect(nack).toEqual({ type: 'nack', senderSsrc: 1, mediaSsrc: 2, items: [{ pid: 101, blp: 1 }] });
    const [decoded] = decodeRtcpPackets(encodeRtcpPackets([nack as NonNullable<typeof nack>]));
    expect(decoded).toEqual(nack);
    expect(g.nackCount).toBe(1);
  });

  it('retries after ~RTT and gives up after maxRetries, asking for a keyframe', () => {
    const g = new NackGenerator({ ...ssrcs, maxRetries: 3, minReorderWaitMs: 0, maxPacketAgeMs: 10_000 });
    g.setRoundTripTime(100);
    g.handlePacket(0, 1);
    g.handlePacket(0, 3);
    const times: number[] = [];
    for (let t = 0; t < 2000; t++) {
      g.handleTimeout(t);
      if (drain(g).length > 0) times.push(t);
    }
    expect(times).toEqual([0, 125, 250]);
    expect(g.pollKeyframeNeeded()).toBe(true);
    expect(g.pollKeyframeNeeded()).toBe(false);
    expect(g.packetsGivenUp).toBe(1);
    expect(g.missingCount).toBe(0);
  });

  it('gives up on packets older than maxPacketAgeMs', () => {
    const g = new NackGenerator({ ...ssrcs, maxPacketAgeMs: 300, minReorderWaitMs: 0 });
    g.setRoundTripTime(200);
    g.handlePacket(0, 1);
    g.handlePacket(0, 3);
    for (let t = 0; t <= 400; t++) g.handleTimeout(t);
    expect(drain(g).length).toBe(2); // at 0 and 250 (age 250 < 300)
    for (let t = 401; t <= 600; t++) g.handleTimeout(t); // due again at 500, age 500: given up
    expect(g.pollKeyframeNeeded()).toBe(true);
  });

  it('does not NACK a packet that arrives within the reorder wait, and learns longer waits', () => {
    const g = new NackGenerator({ ...ssrcs, minReorderWaitMs: 5 });
    g.handlePacket(0, 1);
    g.handlePacket(0, 3);
    g.handlePacket(3, 2);
    g.handleTimeout(100);
    expect(drain(g)).toEqual([]);
    // A packet that shows up 30 ms late after being NACKed raises the wait.
    g.handlePacket(100, 5);
    g.handleTimeout(110);
    expect(drain(g)).toEqual([[4]]);
    g.handlePacket(130, 4);
    expect(g.lateAfterNack).toBe(1);
    expect(g.reorderWait).toBeGreaterThanOrEqual(30);
  });

  it('handles the sequence wrap', () => {
    const g = new NackGenerator({ ...ssrcs, minReorderWaitMs: 0 });
    g.handlePacket(0, 65534);
    g.handlePacket(0, 1);
    g.handleTimeout(0);
    expect(drain(g)).toEqual([[65535, 0]]);
  });

  it('treats a huge jump as unrepairable: keyframe, no NACK storm', () => {
    const g = new NackGenerator({ ...ssrcs, maxMissing: 100 });
    g.handlePacket(0, 0);
    g.handlePacket(0, 5000);
    g.handleTimeout(1000);
    expect(drain(g)).toEqual([]);
    expect(g.pollKeyframeNeeded()).toBe(true);
  });

  it('a retransmitted packet fills its gap without counting as reordering', () => {
    const g = new NackGenerator({ ...ssrcs, minReorderWaitMs: 0 });
    g.handlePacket(0, 1);
    g.handlePacket(0, 3);
    g.handleTimeout(0);
    drain(g);
    g.handlePacket(60, 2, { retransmitted: true });
    expect(g.missingCount).toBe(0);
    expect(g.reorderWait).toBe(0);
  });

  it('property: every lost packet is NACKed, no received packet ever is, and nothing throws', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 400 }),
        (start, got) => {
          const g = new NackGenerator({ ...ssrcs, minReorderWaitMs: 0, maxRetries: 1 });
          const received = new Set<number>();
          g.handlePacket(0, start);
          received.add(start);
          let last = start;
          got.forEach((ok, i) => {
            const seq = (start + i + 1) & 0xffff;
            if (ok) {
              g.handlePacket(i, seq);
              received.add(seq);
              last = seq;
            }
          });
          g.handleTimeout(got.length + 1);
          const nacked = drain(g).flat();
          for (const s of nacked) expect(received.has(s)).toBe(false);
          const expected: number[] = [];
          for (let s = start; s !== last; s = (s + 1) & 0xffff) if (!received.has(s)) expected.push(s);
          expect(new Set(nacked)).toEqual(new Set(expected));
        },
      ),
    );
  });

  it('keeps the missing-packet bound when packets older than the first one fill backwards (found by the property)', () => {
    const g = new NackGenerator(ssrcs);
    for (const seq of [1003, 3, 0]) g.handlePacket(0, seq);
    expect(g.missingCount).toBeLessThanOrEqual(1000);
  });

  it('property: arbitrary sequence numbers and times never throw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 5000 }))),
        (events) => {
          const g = new NackGenerator(ssrcs);
          let now = 0;
          for (const [seq, dt] of events) {
            now += dt;
            g.handlePacket(now, seq);
            g.handleTimeout(now);
            drain(g);
          }
          expect(g.missingCount).toBeLessThanOrEqual(1000);
        },
      ),
    );
  });
});

describe('NackGenerator at stream start', () => {
  it('NACKs a gap revealed by a packet reordered before the first one', () => {
    const g = new NackGenerator({ ...ssrcs, minReorderWaitMs: 0 });
    g.handlePacket(0, 65003);
    g.handlePacket(1, 65000);
    g.handlePacket(2, 65001);
    g.handleTimeout(2);
    expect(drain(g)).toEqual([[65002]]);
  });
});

describe('NackGenerator list bound', () => {
  it('drops the oldest missing packets beyond maxMissing and asks for a keyframe', () => {
    const g = new NackGenerator({ ...ssrcs, maxMissing: 10, minReorderWaitMs: 0 });
    g.handlePacket(0, 100);
    g.handlePacket(0, 108); // 101-107 missing
    g.handlePacket(0, 114); // 109-113 missing: 12 > 10
    expect(g.missingCount).toBe(10);
    expect(g.pollKeyframeNeeded()).toBe(true);
    g.handleTimeout(0);
    expect(drain(g)).toEqual([[103, 104, 105, 106, 107, 109, 110, 111, 112, 113]]);
  });
});
