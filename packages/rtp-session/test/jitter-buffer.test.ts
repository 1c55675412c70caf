import type { RtpPacket } from '@rtcwire/rtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JitterBuffer, type JitterOutput } from '../src/index.js';
import { rtp } from './helpers.js';

function drain(jb: JitterBuffer): JitterOutput[] {
  const out: JitterOutput[] = [];
  for (let o = jb.poll(); o; o = jb.poll()) out.push(o);
  return out;
}
const seqsOf = (out: JitterOutput[]): number[] =>
  out.flatMap((o) => (o.type === 'packet' ? [o.packet.sequenceNumber] : []));

describe('JitterBuffer', () => {
  it('reorders within the latency', () => {
    const jb = new JitterBuffer({ latencyMs: 50 });
    jb.handlePacket(0, rtp(1));
    jb.handlePacket(1, rtp(3));
    jb.handlePacket(2, rtp(4));
    expect(drain(jb)).toEqual([]); // startup: held for the latency in case earlier packets come
    expect(jb.pollTimeout()).toBe(50);
    jb.handleTimeout(50);
    expect(seqsOf(drain(jb))).toEqual([1]);
    expect(jb.pollTimeout()).toBe(51);
    jb.handlePacket(50, rtp(2));
    expect(seqsOf(drain(jb))).toEqual([2, 3, 4]);
    expect(jb.pollTimeout()).toBeUndefined();
  });

  it('lets packets reordered before the first one take their place at startup', () => {
    const jb = new JitterBuffer({ latencyMs: 50 });
    jb.handlePacket(0, rtp(11));
    jb.handlePacket(5, rtp(10));
    jb.handleTimeout(50);
    expect(seqsOf(drain(jb))).toEqual([10, 11]);
    expect(jb.packetsLate).toBe(0);
  });

  it('declares a gap lost after the latency and drops the late packet', () => {
    const jb = new JitterBuffer({ latencyMs: 50 });
    jb.handlePacket(0, rtp(65535));
    jb.handlePacket(10, rtp(2));
    jb.handleTimeout(59);
    expect(seqsOf(drain(jb))).toEqual([65535]);
    jb.handleTimeout(60);
    expect(drain(jb)).toEqual([
      { type: 'lost', sequenceNumbers: [0, 1] },
      { type: 'packet', packet: rtp(2) },
    ]);
    jb.handlePacket(70, rtp(1));
    expect(drain(jb)).toEqual([]);
    expect(jb.packetsLost).toBe(2);
    expect(jb.packetsLate).toBe(1);
  });

  it('assembles frames by timestamp and marker and tells complete from incomplete', () => {
    const jb = new JitterBuffer({ latencyMs: 20, frames: true });
    const f = (seq: number, ts: number, marker = false): RtpPacket => rtp(seq, { timestamp: ts, marker });
    // frame 100: seq 1-2; frame 200: seq 3-5 with 4 lost; frame 300: seq 6 (marker lost → 7 lost);
    // frame 400: seq 8.
    for (const p of [f(1, 100), f(2, 100, true), f(3, 200), f(5, 200, true), f(6, 300), f(8, 400, true)]) {
      jb.handlePacket(0, p);
    }
    jb.handleTimeout(100);
    const frames = drain(jb).flatMap((o) => (o.type === 'frame' ? [o.frame] : []));
    expect(frames.map((x) => [x.timestamp, x.packets.length, x.complete])).toEqual([
      [100, 2, true],
      [200, 2, false],
      [300, 1, false],
      [400, 1, true], // the one lost packet before it was frame 300's marker
    ]);
    expect(jb.framesComplete).toBe(2);
    expect(jb.framesIncomplete).toBe(2);
  });

  it('a loss between frames breaks the next frame', () => {
    const jb = new JitterBuffer({ latencyMs: 0, frames: true });
    jb.handlePacket(0, rtp(1, { timestamp: 1, marker: true }));
    jb.handlePacket(0, rtp(3, { timestamp: 2, marker: true }));
    jb.handleTimeout(0);
    const frames = drain(jb).flatMap((o) => (o.type === 'frame' ? [o.frame.complete] : []));
    expect(frames).toEqual([true, false]);
  });

  it('bounds what it holds', () => {
    const jb = new JitterBuffer({ latencyMs: 10_000, maxPackets: 10 });
    jb.handlePacket(0, rtp(0));
    for (let s = 2; s < 14; s++) jb.handlePacket(0, rtp(s));
    expect(jb.buffered).toBeLessThanOrEqual(10);
    expect(jb.packetsLost).toBe(1);
  });

  it('property: any arrival order within the latency comes out complete and in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.integer({ min: 0, max: 49 }), { minLength: 1, maxLength: 200 }),
        (start, delays) => {
          const arrivals = delays.map((d, i) => ({ seq: (start + i) & 0xffff, at: i + d })).sort((a, b) => a.at - b.at);
          const jb = new JitterBuffer({ latencyMs: 60 });
          const out: JitterOutput[] = [];
          for (const a of arrivals) {
            jb.handleTimeout(a.at);
            jb.handlePacket(a.at, rtp(a.seq));
            out.push(...drain(jb));
          }
          jb.handleTimeout((arrivals[arrivals.length - 1]?.at ?? 0) + 60);
          out.push(...drain(jb));
          expect(seqsOf(out)).toEqual(delays.map((_, i) => (start + i) & 0xffff));
          expect(jb.packetsLost).toBe(0);
        },
      ),
    );
  });
});

describe('JitterBuffer with a frame-start hint', () => {
  const hinted = () => new JitterBuffer({ latencyMs: 0, frames: true, isFrameStart: (p) => p.payload[0] === 1 });
  const pkt = (seq: number, ts: number, start: boolean, marker: boolean): RtpPacket =>
    rtp(seq, { timestamp: ts, marker, payload: Uint8Array.of(start ? 1 : 0) });
  const completeness = (jb: JitterBuffer): boolean[] =>
    drain(jb).flatMap((o) => (o.type === 'frame' ? [o.frame.complete] : []));

  it('knows the very first frame lost its head', () => {
    const jb = hinted();
    jb.handlePacket(0, pkt(2, 1, false, true)); // packet 1 (the start) never came
    jb.handlePacket(0, pkt(3, 2, true, true));
    expect(completeness(jb)).toEqual([false, true]);
  });

  it('attributes a gap after a marker-less frame exactly', () => {
    const jb = hinted();
    // frame 1: seq 1 (start), 2, 3 (marker) — 2 and 3 lost; frame 2: seq 4 (start, marker).
    jb.handlePacket(0, pkt(1, 1, true, false));
    jb.handlePacket(0, pkt(4, 2, true, true));
    jb.handleTimeout(0);
    expect(completeness(jb)).toEqual([false, true]);
  });
});

describe('JitterBuffer latency control', () => {
  const pkt = (seq: number): RtpPacket => ({
    marker: true,
    payloadType: 96,
    sequenceNumber: seq,
    timestamp: seq * 3000,
    ssrc: 1,
    csrcs: [],
    extensions: [],
    payload: new Uint8Array([seq & 0xff]),
    paddingLength: 0,
  });
  const drain = (jb: JitterBuffer) => {
    const out = [];
    for (let o = jb.poll(); o; o = jb.poll()) out.push(o);
    return out;
  };

  it('startupHoldMs 0 emits the first packet at once; an earlier one arriving later is late', () => {
    const jb = new JitterBuffer({ latencyMs: 200, startupHoldMs: 0 });
    jb.handlePacket(0, pkt(10));
    expect(drain(jb)).toEqual([{ type: 'packet', packet: pkt(10) }]);
    jb.handlePacket(5, pkt(9));
    expect(drain(jb)).toEqual([]);
    expect(jb.packetsLate).toBe(1);
  });

  it('holds the start for startupHoldMs and wakes up then', () => {
    const jb = new JitterBuffer({ latencyMs: 200, startupHoldMs: 30 });
    jb.handlePacket(0, pkt(10));
    expect(jb.pollTimeout()).toBe(30);
    jb.handlePacket(10, pkt(9));
    jb.handleTimeout(30);
    expect(drain(jb).map((o) => (o.type === 'packet' ? o.packet.sequenceNumber : -1))).toEqual([9, 10]);
  });

  it('setLatency changes how long a gap is waited for', () => {
    const jb = new JitterBuffer({ latencyMs: 100, startupHoldMs: 0 });
    jb.handlePacket(0, pkt(1));
    expect(drain(jb)).toEqual([{ type: 'packet', packet: pkt(1) }]);
    jb.setLatency(300);
    jb.handlePacket(10, pkt(3));
    expect(jb.pollTimeout()).toBe(310);
    jb.handleTimeout(200);
    expect(drain(jb).filter((o) => o.type === 'lost')).toEqual([]);
    jb.handleTimeout(310);
    expect(drain(jb)).toEqual([
      { type: 'lost', sequenceNumbers: [2] },
      { type: 'packet', packet: pkt(3) },
    ]);
  });
});
