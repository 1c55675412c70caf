import { fromRtxPacket, nackItemsFromSequences } from '@rtcwire/rtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Retransmitter } from '../src/index.js';
import { rtp } from './helpers.js';

const nack = (seqs: number[]) => ({
  type: 'nack' as const,
  senderSsrc: 1,
  mediaSsrc: 0xabc,
  items: nackItemsFromSequences(seqs),
});

describe('Retransmitter (packet history + NACK responder)', () => {
  it('resends over RTX with its own SSRC, payload type and sequence numbers (RFC 4588 §4)', () => {
    const r = new Retransmitter({ rtx: { ssrc: 0xdef, payloadType: 97, initialSequenceNumber: 65535 } });
    for (let s = 10; s < 20; s++) r.handlePacketSent(s, rtp(s));
    r.handleNack(30, nack([12, 15]));
    const a = r.pollRetransmission();
    const b = r.pollRetransmission();
    expect(r.pollRetransmission()).toBeUndefined();
    expect([a?.ssrc, a?.payloadType, a?.sequenceNumber, b?.sequenceNumber]).toEqual([0xdef, 97, 65535, 0]);
    expect([...(a?.payload.subarray(0, 2) ?? [])]).toEqual([0, 12]); // OSN
    expect(fromRtxPacket(a as NonNullable<typeof a>, { ssrc: 0xabc, payloadType: 96 })).toEqual({
      ...rtp(12),
      paddingLength: 0,
    });
    expect(r.retransmittedPacketsSent).toBe(2);
    expect(r.retransmittedBytesSent).toBe(12);
    expect(r.nackCount).toBe(1);
  });

  it('resends the packet itself without RTX', () => {
    const r = new Retransmitter();
    r.handlePacketSent(0, rtp(7));
    r.handleNack(1, nack([7]));
    expect(r.pollRetransmission()).toEqual(rtp(7));
  });

  it('does not resend the same packet twice within one RTT', () => {
    const r = new Retransmitter({ initialRttMs: 100 });
    r.handlePacketSent(0, rtp(7));
    r.handleNack(10, nack([7]));
    r.handleNack(50, nack([7]));
    r.handleNack(110, nack([7]));
    expect([r.pollRetransmission(), r.pollRetransmission(), r.pollRetransmission()].filter(Boolean).length).toBe(2);
  });

  it('finds a packet sent before the first one across the wrap (negative unwrapped number)', () => {
    const r = new Retransmitter({ maxPackets: 8 });
    r.handlePacketSent(0, rtp(5));
    r.handlePacketSent(1, rtp(65535));
    r.handlePacketSent(2, rtp(6));
    r.handleNack(3, nack([65535, 5]));
    expect([r.pollRetransmission()?.sequenceNumber, r.pollRetransmission()?.sequenceNumber]).toEqual([65535, 5]);
    expect(r.packetsNotFound).toBe(0);
  });

  it('forgets packets beyond its count and age bounds', () => {
    const r = new Retransmitter({ maxPackets: 5, maxAgeMs: 100 });
    for (let s = 0; s < 10; s++) r.handlePacketSent(s, rtp(s));
    expect(r.size).toBe(5);
    r.handleNack(10, nack([0, 4, 5]));
    expect(r.packetsNotFound).toBe(2);
    r.handleNack(200, nack([9]));
    expect(r.packetsNotFound).toBe(3);
  });

  it('maps NACKed sequence numbers across the wrap', () => {
    const r = new Retransmitter();
    for (let s = 65530; s < 65540; s++) r.handlePacketSent(0, rtp(s));
    r.handleNack(1, nack([65535, 0, 3]));
    const seqs = [r.pollRetransmission(), r.pollRetransmission(), r.pollRetransmission()].map((p) => p?.sequenceNumber);
    expect(seqs).toEqual([65535, 0, 3]);
  });

  it('property: arbitrary NACK items never throw and only stored packets are resent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ pid: fc.integer({ min: 0, max: 0xffff }), blp: fc.integer({ min: 0, max: 0xffff }) })),
        (items) => {
          const r = new Retransmitter();
          for (let s = 100; s < 200; s++) r.handlePacketSent(0, rtp(s));
          r.handleNack(1, { type: 'nack', senderSsrc: 1, mediaSsrc: 2, items });
          for (let p = r.pollRetransmission(); p; p = r.pollRetransmission()) {
            expect(p.sequenceNumber).toBeGreaterThanOrEqual(100);
            expect(p.sequenceNumber).toBeLessThan(200);
          }
        },
      ),
    );
  });
});
