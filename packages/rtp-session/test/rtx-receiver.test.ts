import { decodeRtpPacket, encodeRtpPacket, toRtxPacket } from '@rtcwire/rtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReceivedWindow, RtxReceiver } from '../src/index.js';
import { rtp } from './helpers.js';

const MEDIA = 0xabc;
const RTX = 0xdef;

function receiver(): RtxReceiver {
  return new RtxReceiver({ payloadTypes: new Map([[97, 96]]), ssrcs: new Map([[RTX, MEDIA]]) });
}

describe('RtxReceiver (RFC 4588)', () => {
  it('restores the original from the OSN and apt mapping (golden bytes)', () => {
    // RTX packet: PT 97, seq 7, SSRC 0xdef, payload OSN 0x1234 then 0xaa 0xbb.
    const bytes = Uint8Array.from([0x80, 97, 0, 7, 0, 0, 0x03, 0xe8, 0, 0, 0x0d, 0xef, 0x12, 0x34, 0xaa, 0xbb]);
    const r = receiver().handle(decodeRtpPacket(bytes));
    expect(r.kind).toBe('media');
    if (r.kind !== 'media') return;
    expect(r.retransmitted).toBe(true);
    expect(r.packet.ssrc).toBe(MEDIA);
    expect(r.packet.payloadType).toBe(96);
    expect(r.packet.sequenceNumber).toBe(0x1234);
    expect([...r.packet.payload]).toEqual([0xaa, 0xbb]);
  });

  it('drops whichever copy comes second', () => {
    const rx = receiver();
    const original = rtp(500);
    const rtx = toRtxPacket(original, { ssrc: RTX, payloadType: 97 }, 1);
    expect(rx.handle(original).kind).toBe('media');
    expect(rx.handle(rtx).kind).toBe('duplicate');
    const rx2 = receiver();
    expect(rx2.handle(rtx).kind).toBe('media');
    expect(rx2.handle(original).kind).toBe('duplicate');
    expect(rx2.retransmittedPacketsReceived).toBe(1);
    expect(rx2.duplicates).toBe(1);
  });

  it('pairs an unsignalled RTX SSRC through repaired-rid (RFC 8852 §3.2)', () => {
    const rx = new RtxReceiver({ payloadTypes: new Map([[97, 96]]) });
    const layer = rtp(10, { ssrc: 0x111 });
    expect(rx.handle(layer, { rid: 'hi' }).kind).toBe('media');
    const rtx = toRtxPacket(rtp(11, { ssrc: 0x111 }), { ssrc: 0x222, payloadType: 97 }, 0);
    const r = rx.handle(rtx, { repairedRid: 'hi' });
    expect(r.kind === 'media' && r.packet.ssrc).toBe(0x111);
    // Learned: later RTX on that SSRC needs no extension.
    const again = rx.handle(toRtxPacket(rtp(12, { ssrc: 0x111 }), { ssrc: 0x222, payloadType: 97 }, 1));
    expect(again.kind === 'media' && again.packet.sequenceNumber).toBe(12);
  });

  it('drops RTX it cannot pair, and padding-only RTX, counting why', () => {
    const rx = new RtxReceiver({ payloadTypes: new Map([[97, 96]]) });
    expect(rx.handle(toRtxPacket(rtp(1), { ssrc: 0x999, payloadType: 97 }, 0))).toEqual({
      kind: 'dropped',
      reason: 'rtx_unknown_ssrc',
    });
    rx.addStream(0x999, MEDIA);
    expect(rx.handle(rtp(3, { ssrc: 0x999, payloadType: 97, payload: new Uint8Array(0) }))).toEqual({
      kind: 'dropped',
      reason: 'rtx_padding',
    });
    expect(rx.drops.toJSON()).toEqual({ rtx_unknown_ssrc: 1, rtx_padding: 1 });
  });

  it('property: RTX of any packet restores it exactly after an encode/decode trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.boolean(),
        (seq, rtxSeq, payload, marker) => {
          const original = rtp(seq, { payload, marker, timestamp: 123_456 });
          const wire = encodeRtpPacket(toRtxPacket(original, { ssrc: RTX, payloadType: 97 }, rtxSeq));
          const r = receiver().handle(decodeRtpPacket(wire));
          expect(r.kind).toBe('media');
          if (r.kind === 'media') expect(encodeRtpPacket(r.packet)).toEqual(encodeRtpPacket(original));
        },
      ),
    );
  });

  it('property: random packets never throw', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            seq: fc.integer({ min: 0, max: 0xffff }),
            pt: fc.constantFrom(96, 97, 100),
            ssrc: fc.constantFrom(MEDIA, RTX, 5),
            payload: fc.uint8Array({ maxLength: 8 }),
          }),
        ),
        (packets) => {
          const rx = receiver();
          for (const p of packets) rx.handle(rtp(p.seq, { payloadType: p.pt, ssrc: p.ssrc, payload: p.payload }));
        },
      ),
    );
  });
});

describe('ReceivedWindow', () => {
  it('property: accepts exactly the first copy of each sequence number within the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.array(fc.integer({ min: 0, max: 300 })), (start, offsets) => {
        const w = new ReceivedWindow(512);
        const seen = new Set<number>();
        for (const o of offsets) {
          expect(w.add((start + o) & 0xffff)).toBe(!seen.has(o));
          seen.add(o);
        }
      }),
    );
  });

  it('rejects packets older than the window', () => {
    const w = new ReceivedWindow(16);
    expect(w.add(100)).toBe(true);
    expect(w.add(84)).toBe(false);
    expect(w.add(85)).toBe(true);
    expect(w.add(5000)).toBe(true);
    expect(w.add(100)).toBe(false);
  });
});
