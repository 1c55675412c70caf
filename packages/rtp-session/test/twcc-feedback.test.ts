import { decodeRtcpPackets, encodeRtcpPackets, type TransportCcFeedback, transportCcArrivals } from '@rtcwire/rtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TwccFeedbackGenerator } from '../src/index.js';

function drain(g: TwccFeedbackGenerator): TransportCcFeedback[] {
  const out: TransportCcFeedback[] = [];
  for (let f = g.pollFeedback(); f; f = g.pollFeedback()) out.push(f);
  return out;
}

describe('TwccFeedbackGenerator', () => {
  it('reports every packet at the interval, losses as not received, through the wire format', () => {
    const g = new TwccFeedbackGenerator({ senderSsrc: 9, intervalMs: 50 });
    g.handlePacket(1000, 10, 0x55);
    g.handlePacket(1001.25, 11, 0x55);
    g.handlePacket(1020, 13, 0x55);
    expect(g.pollTimeout()).toBe(1050);
    g.handleTimeout(1049);
    expect(drain(g)).toEqual([]);
    g.handleTimeout(1050);
    const [fb] = drain(g);
    expect(fb).toBeDefined();
    const [decoded] = decodeRtcpPackets(encodeRtcpPackets([fb as TransportCcFeedback]));
    expect(decoded).toEqual(fb);
    expect(transportCcArrivals(decoded as TransportCcFeedback)).toEqual([
      { sequence: 10, arrivalTimeUs: 1_000_000 },
      { sequence: 11, arrivalTimeUs: 1_001_250 },
      { sequence: 12, arrivalTimeUs: undefined },
      { sequence: 13, arrivalTimeUs: 1_020_000 },
    ]);
    expect(fb?.mediaSsrc).toBe(0x55);
    expect(fb?.senderSsrc).toBe(9);
    // Nothing new: no wake-up, no empty feedback.
    expect(g.pollTimeout()).toBeUndefined();
    g.handlePacket(1060, 14, 0x55);
    g.handleTimeout(1110);
    const [next] = drain(g);
    expect(next?.baseSequence).toBe(14);
    expect(next?.feedbackPacketCount).toBe(1);
  });

  it('re-reports a late packet that missed the previous feedback', () => {
    const g = new TwccFeedbackGenerator({ senderSsrc: 1 });
    g.handlePacket(0, 1, 1);
    g.handlePacket(1, 3, 1);
    g.handleTimeout(50);
    drain(g);
    g.handlePacket(55, 2, 1);
    g.handlePacket(56, 4, 1);
    g.handleTimeout(105);
    const [fb] = drain(g);
    expect(transportCcArrivals(fb as TransportCcFeedback).map((a) => [a.sequence, a.arrivalTimeUs])).toEqual([
      [2, 55_000],
      [3, 1_000],
      [4, 56_000],
    ]);
  });

  it('crosses the 16-bit wrap', () => {
    const g = new TwccFeedbackGenerator({ senderSsrc: 1 });
    g.handlePacket(0, 65534, 1);
    g.handlePacket(1, 1, 1);
    g.handleTimeout(50);
    const [fb] = drain(g);
    expect(transportCcArrivals(fb as TransportCcFeedback).map((a) => a.sequence)).toEqual([65534, 65535, 0, 1]);
  });

  it('property: every recorded arrival comes back exactly (250 µs ticks) whatever the order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 400 })), {
          minLength: 1,
          maxLength: 300,
        }),
        (start, items) => {
          const g = new TwccFeedbackGenerator({ senderSsrc: 1, maxPacketStatusCount: 64 });
          const truth = new Map<number, number>();
          let now = 1000;
          for (const [offset, ticks] of items) {
            const seq = (start + offset) & 0xffff;
            now += 0.25 * (ticks % 8);
            g.handlePacket(now, seq, 7);
            if (!truth.has(seq)) truth.set(seq, now);
            g.handleTimeout(now);
          }
          g.handleTimeout(now + 1000);
          const seen = new Map<number, number>();
          for (const fb of drain(g)) {
            const [decoded] = decodeRtcpPackets(encodeRtcpPackets([fb]));
            for (const a of transportCcArrivals(decoded as TransportCcFeedback)) {
              if (a.arrivalTimeUs !== undefined) seen.set(a.sequence, a.arrivalTimeUs);
            }
          }
          for (const [seq, at] of truth) expect(seen.get(seq)).toBe(Math.round(at * 1000));
        },
      ),
    );
  });
});

describe('TwccFeedbackGenerator on hostile input', () => {
  it('property: arbitrary sequence numbers, jumps and times never throw and stay bounded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.double({ min: 0, max: 20_000, noNaN: true }))),
        (events) => {
          const g = new TwccFeedbackGenerator({ senderSsrc: 1 });
          let now = 0;
          for (const [seq, dt] of events) {
            now += dt;
            g.handlePacket(now, seq, 1);
            g.handleTimeout(now);
            for (let f = g.pollFeedback(); f; f = g.pollFeedback()) {
              expect(f.deltas.length).toBeLessThanOrEqual(500);
              decodeRtcpPackets(encodeRtcpPackets([f]));
            }
          }
        },
      ),
    );
  });
});
