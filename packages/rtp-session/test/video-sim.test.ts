import { describe, expect, it } from 'vitest';
import { runVideoSim } from './video-sim.js';

// 5 % uniform loss plus Gilbert–Elliott bursts with ~2 % of packets in the bad state
// (P(enter) 0.005, P(exit) 0.245 → stationary 0.005 / 0.25 = 2 %, mean burst ~4 packets).
const LOSSY = { latencyMs: 25, jitterMs: 5, loss: 0.05, burst: { enter: 0.005, exit: 0.245 } };

describe('30 s 30 fps stream over a lossy link', () => {
  // RTCP is sparse, so its bursts evolve per millisecond (2 % of the time bad, ~40 ms each).
  const BACK = { latencyMs: 25, jitterMs: 5, loss: 0.05, burst: { enter: 0.0005, exit: 0.0245, perMs: true } };

  for (const seed of [7, 12, 39]) {
    it(`with NACK/RTX every frame is delivered complete (seed ${seed})`, () => {
      const r = runVideoSim({ seed, nack: true, forward: LOSSY, reverse: BACK });
      expect(r.framesSent).toBe(900);
      // The channels really lost packets (both kinds of loss), so recovery was exercised.
      expect(r.forward.dropped).toBeGreaterThan(r.packetsSent * 0.05);
      expect(r.forward.burstDropped).toBeGreaterThan(0);
      expect(r.reverse.dropped).toBeGreaterThan(0);
      expect(r.frames.length).toBe(900);
      expect(r.frames.filter((f) => f.complete).length).toBe(900);
      // Every frame has all its packets.
      for (const f of r.frames) expect(f.packets).toBe(r.frameSeqs.get(f.timestamp)?.length);
      expect(r.jb.packetsLost).toBe(0);
      // The originals came back over RTX, counted on both sides.
      const lostInFrames = [...r.frameSeqs.values()].flat().filter((q) => r.droppedSeqs.has(q)).length;
      expect(lostInFrames).toBeGreaterThan(100);
      expect(r.rtx.retransmittedPacketsReceived).toBeGreaterThanOrEqual(lostInFrames);
      expect(r.history.retransmittedPacketsSent).toBeGreaterThanOrEqual(r.rtx.retransmittedPacketsReceived);
      expect(r.nack.nackCount).toBeGreaterThan(0);
      expect(r.nack.packetsGivenUp).toBe(0);
      expect(r.keyframes.pliCount).toBe(0);
      expect(r.senderStats.roundTripTimeMs).toBeGreaterThan(40);
      expect(r.senderStats.roundTripTimeMs).toBeLessThan(80);
    });
  }

  it('a lost first packet cannot be NACKed (nothing precedes it): the first frame is flagged, a PLI repairs', () => {
    // Seed 29 loses sequence number 65000, the stream's very first packet.
    const r = runVideoSim({ seed: 29, nack: true, forward: LOSSY, reverse: BACK });
    expect(r.droppedSeqs.has(65_000)).toBe(true);
    const incomplete = r.frames.filter((f) => !f.complete);
    expect(incomplete.map((f) => f.timestamp)).toEqual([0]);
    expect(r.frames.filter((f) => f.complete).length).toBe(899);
    expect(r.keyframes.pliCount).toBe(1);
    expect(r.keyframesSent).toBe(2); // the initial one and the answer
  });

  it('without NACK incomplete frames are detected and a PLI is sent and answered', () => {
    const r = runVideoSim({ seed: 11, nack: false, forward: LOSSY, reverse: { latencyMs: 25 }, jitterBufferMs: 50 });
    const incomplete = r.frames.filter((f) => !f.complete);
    expect(r.truthIncomplete.size).toBeGreaterThan(50);
    // With the frame-start hint the verdict is exact: a delivered frame is flagged incomplete if and
    // only if the channel dropped one of its packets (frames lost entirely are never emitted).
    const delivered = new Set(r.frames.map((f) => f.timestamp));
    const truthDelivered = [...r.truthIncomplete].filter((ts) => delivered.has(ts)).sort((a, b) => a - b);
    expect(incomplete.map((f) => f.timestamp)).toEqual(truthDelivered);
    const wholeFramesLost = [...r.frameSeqs.values()].filter((q) => q.every((x) => r.droppedSeqs.has(x))).length;
    expect(r.frames.length).toBe(900 - wholeFramesLost);
    expect(r.keyframes.pliCount).toBeGreaterThan(0);
    expect(r.plisReceived).toBe(r.keyframes.pliCount);
    expect(r.keyframesSent).toBe(1 + r.plisAnswerable);
    expect(r.plisAnswerable).toBeGreaterThanOrEqual(r.plisReceived - 1);
    // Rate limiting: at most one PLI per 500 ms.
    expect(r.keyframes.pliCount).toBeLessThanOrEqual(30_000 / 500 + 1);
    expect(r.history.retransmittedPacketsSent).toBe(0);
  });

  it('reordering within 50 ms produces no NACK storm', () => {
    const reorder = { latencyMs: 20, jitterMs: 50 };
    const r = runVideoSim({ seed: 3, nack: true, forward: reorder, reverse: { latencyMs: 20 } });
    expect(r.forward.dropped).toBe(0);
    expect(r.frames.filter((f) => f.complete).length).toBe(900);
    // A storm would NACK a large share of the (heavily reordered) packets (about half without the
    // adaptive wait); allow under 1 %.
    expect(r.nack.nackedPackets).toBeLessThan(r.packetsSent * 0.01);
    expect(r.nack.reorderWait).toBeGreaterThan(20);
  });

  it('RR statistics match the simulator truth within 1 percentage point', () => {
    const r = runVideoSim({ seed: 5, nack: false, forward: LOSSY, reverse: { latencyMs: 25 }, jitterBufferMs: 50 });
    expect(r.rr.length).toBeGreaterThanOrEqual(29);
    for (const s of r.rr.slice(1)) {
      if (s.intervalExpected === 0) {
        expect(s.block.fractionLost).toBe(0); // nothing expected after the stream ended
        continue;
      }
      const truth = s.intervalDropped / s.intervalExpected;
      expect(Math.abs(s.block.fractionLost / 256 - truth)).toBeLessThan(0.01);
      const expected = s.block.extendedHighestSequence - 65_000 + 1;
      expect(Math.abs(s.block.cumulativeLost - s.totalDropped) / expected).toBeLessThan(0.01);
      expect(s.block.lastSr).not.toBe(0);
    }
    const last = r.rr[r.rr.length - 1];
    expect(last?.block.extendedHighestSequence).toBeGreaterThan(65_536); // crossed the wrap
    expect(r.stats.cumulativeLost).toBe(r.droppedSeqs.size);
    expect(r.senderStats.packetsLost).toBeGreaterThan(0);
  });
});
