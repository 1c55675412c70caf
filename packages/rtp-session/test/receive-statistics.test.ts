import { ntpFromUnixMs, ntpMiddle32 } from '@rtcwire/rtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReceiveStatistics } from '../src/index.js';

describe('ReceiveStatistics (RFC 3550 A.3, A.8)', () => {
  it('counts loss over the whole stream and per interval', () => {
    const s = new ReceiveStatistics(0x1234, 90_000);
    for (const seq of [10, 11, 13, 14]) s.handlePacket(0, seq, 0, 100);
    const b1 = s.reportBlock(1000);
    expect(b1).toEqual({
      ssrc: 0x1234,
      fractionLost: 51, // 1 of 5 lost: floor(256 / 5)
      cumulativeLost: 1,
      extendedHighestSequence: 14,
      jitter: 0,
      lastSr: 0,
      delaySinceLastSr: 0,
    });
    for (const seq of [15, 19]) s.handlePacket(0, seq, 0, 100);
    const b2 = s.reportBlock(2000);
    expect(b2.fractionLost).toBe(153); // 3 of 5 expected (15..19) lost: floor(3 × 256 / 5)
    expect(b2.cumulativeLost).toBe(4);
    expect(s.reportBlock(3000).fractionLost).toBe(0); // nothing expected since
    expect(s.bytesReceived).toBe(600);
  });

  it('extends the highest sequence across the 16-bit wrap, including late packets from before it', () => {
    const s = new ReceiveStatistics(1, 8000);
    for (const seq of [65534, 65535, 1, 0, 2]) s.handlePacket(0, seq, 0, 10);
    expect(s.extendedHighestSequence).toBe(65536 + 2);
    expect(s.cumulativeLost).toBe(0);
    s.handlePacket(0, 65533, 0, 10); // reordered before the first packet
    expect(s.packetsExpected).toBe(6);
    expect(s.cumulativeLost).toBe(0);
  });

  it('ignores a single stray packet far away, restarts on two in a row (RFC 3550 A.1)', () => {
    const s = new ReceiveStatistics(1, 8000);
    for (let q = 100; q < 110; q++) s.handlePacket(0, q, 0, 10);
    s.handlePacket(0, 30_000, 0, 10); // stray: not counted for loss
    expect(s.extendedHighestSequence).toBe(109);
    expect(s.cumulativeLost).toBe(0);
    s.handlePacket(0, 110, 0, 10);
    expect(s.cumulativeLost).toBe(0);
    // The source restarts at 50 000: the first packet is held as "bad", the second confirms.
    s.handlePacket(0, 50_000, 0, 10);
    expect(s.extendedHighestSequence).toBe(110);
    s.handlePacket(0, 50_001, 0, 10);
    expect(s.extendedHighestSequence).toBe(50_001);
    expect(s.packetsExpected).toBe(1);
    expect(s.cumulativeLost).toBe(0);
    expect(s.packetsReceived).toBe(14);
  });

  it('has zero jitter for constant transit and J/16 steps for a single deviation', () => {
    const s = new ReceiveStatistics(1, 8000);
    for (let i = 0; i < 50; i++) s.handlePacket(i * 20, i, i * 160, 10);
    expect(s.jitter).toBe(0);
    s.handlePacket(50 * 20 + 10, 50, 50 * 160, 10); // 10 ms late = 80 units
    expect(s.jitter).toBeCloseTo(80 / 16, 9);
    expect(s.jitterSeconds).toBeCloseTo(80 / 16 / 8000, 12);
  });

  it('keeps retransmitted packets out of jitter and duplicates out of the counts', () => {
    const s = new ReceiveStatistics(1, 8000);
    s.handlePacket(0, 1, 0, 10);
    s.handlePacket(500, 2, 160, 10, { retransmitted: true });
    s.handleDuplicate();
    expect(s.jitter).toBe(0);
    expect(s.packetsRetransmitted).toBe(1);
    expect(s.packetsDuplicated).toBe(1);
    expect(s.cumulativeLost).toBe(0);
  });

  it('reports LSR and DLSR from the last sender report (RFC 3550 §6.4.1)', () => {
    const s = new ReceiveStatistics(1, 90_000);
    s.handlePacket(0, 1, 0, 10);
    const ntp = ntpFromUnixMs(1_700_000_000_000);
    s.handleSenderReport(1000, ntpMiddle32(ntp));
    const b = s.reportBlock(1500);
    expect(b.lastSr).toBe(ntpMiddle32(ntp));
    expect(b.delaySinceLastSr).toBe(32768); // 0.5 s in 1/65536 s
  });

  it('clamps cumulative loss to 24 bits signed', () => {
    const s = new ReceiveStatistics(1, 90_000);
    s.handlePacket(0, 0, 0, 1);
    for (let i = 0; i < 3; i++) s.handleDuplicate();
    for (let i = 0; i < 5; i++) s.handlePacket(0, 1, 0, 1); // counted duplicates: RFC allows negative
    expect(s.reportBlock(0).cumulativeLost).toBe(-4);
  });

  it('property: cumulative loss is exactly the packets never delivered, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (start, delivered, shuffleSeed) => {
          const seqs = delivered.flatMap((d, i) => (d ? [i] : []));
          fc.pre(seqs.length > 0);
          // Reorder locally (swap neighbours) as networks do.
          let x = shuffleSeed;
          for (let i = 1; i < seqs.length; i++) {
            x = (Math.imul(x, 1103515245) + 12345) >>> 0;
            if (x & 1) [seqs[i - 1], seqs[i]] = [seqs[i] as number, seqs[i - 1] as number];
          }
          const s = new ReceiveStatistics(1, 90_000);
          for (const q of seqs) s.handlePacket(0, (start + q) & 0xffff, 0, 1);
          const lo = Math.min(...seqs);
          const hi = Math.max(...seqs);
          expect(s.cumulativeLost).toBe(hi - lo + 1 - seqs.length);
          expect((s.extendedHighestSequence - start - lo) & 0xffff).toBe(hi - lo);
          const b = s.reportBlock(0);
          expect(b.fractionLost).toBe(Math.floor(((hi - lo + 1 - seqs.length) * 256) / (hi - lo + 1)));
        },
      ),
    );
  });
});
