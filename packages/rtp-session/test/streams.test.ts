import { seededRandom } from '@rtcwire/common';
import {
  decodeRtcpPackets,
  decodeRtpPacket,
  encodeRtcpPackets,
  encodeRtpPacket,
  ntpFromUnixMs,
  type RtcpPacket,
} from '@rtcwire/rtp';
import { describe, expect, it } from 'vitest';
import { ReceiveStream, RtxReceiver, SendStream } from '../src/index.js';
import { Channel } from './channel.js';
import { rtp } from './helpers.js';

const UNIX = 1_790_000_000_000;

describe('SendStream', () => {
  it('routes feedback about its SSRC only, dedupes repeated FIRs, answers NACK over RTX', () => {
    const s = new SendStream({
      ssrc: 0xabc,
      clockRate: 90_000,
      retransmission: { rtx: { ssrc: 0xdef, payloadType: 97, initialSequenceNumber: 0 } },
    });
    for (let i = 0; i < 5; i++) s.handlePacketSent(i, rtp(i));
    expect(s.handleRtcp(10, UNIX, { type: 'pli', senderSsrc: 1, mediaSsrc: 0x999 })).toBe(false);
    expect(s.handleRtcp(10, UNIX, { type: 'pli', senderSsrc: 1, mediaSsrc: 0xabc })).toBe(true);
    const fir: RtcpPacket = { type: 'fir', senderSsrc: 1, mediaSsrc: 0, entries: [{ ssrc: 0xabc, sequenceNumber: 4 }] };
    s.handleRtcp(11, UNIX, fir);
    s.handleRtcp(12, UNIX, fir);
    expect([s.pollKeyframeRequest(), s.pollKeyframeRequest(), s.pollKeyframeRequest()]).toEqual([
      'pli',
      'fir',
      undefined,
    ]);
    s.handleRtcp(13, UNIX, { type: 'nack', senderSsrc: 1, mediaSsrc: 0xabc, items: [{ pid: 2, blp: 0 }] });
    expect(s.pollRetransmission()?.ssrc).toBe(0xdef);
    const st = s.stats();
    expect([st.packetsSent, st.nackCount, st.pliCount, st.firCount, st.retransmittedPacketsSent]).toEqual([
      5, 1, 1, 1, 1,
    ]);
  });

  it('takes RTT from the report block for its SSRC', () => {
    const s = new SendStream({ ssrc: 0xabc, clockRate: 90_000 });
    s.handlePacketSent(0, rtp(0));
    const sr = s.senderReport(0, UNIX);
    const lsr = Number((sr.ntpTimestamp >> 16n) & 0xffffffffn);
    const block = {
      ssrc: 0xabc,
      fractionLost: 0,
      cumulativeLost: 0,
      extendedHighestSequence: 0,
      jitter: 0,
      lastSr: lsr,
      delaySinceLastSr: 6554,
    };
    expect(
      s.handleRtcp(0, UNIX + 150, { type: 'rr', ssrc: 5, reports: [block], profileExtension: new Uint8Array(0) }),
    ).toBe(true);
    expect(s.stats().roundTripTime).toBeCloseTo(0.05, 2);
    expect(sr.ntpTimestamp).toBe(ntpFromUnixMs(UNIX));
  });
});

describe('ReceiveStream', () => {
  it('requests a keyframe for an incomplete frame, once per interval', () => {
    const r = new ReceiveStream({
      ssrc: 0xabc,
      senderSsrc: 1,
      clockRate: 90_000,
      jitterBuffer: { frames: true, latencyMs: 10 },
    });
    r.handlePacket(0, rtp(1, { timestamp: 1, marker: true }), 100);
    r.handlePacket(0, rtp(3, { timestamp: 2, marker: true }), 100);
    r.handleTimeout(10);
    expect(r.pollRtcp()).toEqual({ type: 'pli', senderSsrc: 1, mediaSsrc: 0xabc });
    const frames = [r.poll(), r.poll(), r.poll()].map((o) => o?.type);
    expect(frames).toEqual(['frame', 'lost', 'frame']);
    expect(r.stats()).toMatchObject({
      packetsReceived: 2,
      packetsLost: 1,
      pliCount: 1,
      framesDropped: 1,
      nackCount: 0,
    });
  });

  it('with NACK on, a composed sender/receiver pair repairs a lossy link (10 s, 3 % loss each way)', () => {
    const random = seededRandom(99);
    const fwd = new Channel<Uint8Array>(random, { latencyMs: 30, loss: 0.03 });
    const back = new Channel<Uint8Array>(random, { latencyMs: 30, loss: 0.03 });
    const send = new SendStream({
      ssrc: 0xabc,
      clockRate: 90_000,
      retransmission: { rtx: { ssrc: 0xdef, payloadType: 97, initialSequenceNumber: 100 } },
    });
    const rtx = new RtxReceiver({ payloadTypes: new Map([[97, 96]]), ssrcs: new Map([[0xdef, 0xabc]]) });
    const recv = new ReceiveStream({
      ssrc: 0xabc,
      senderSsrc: 1,
      clockRate: 90_000,
      nack: true,
      jitterBuffer: { frames: true, latencyMs: 500 },
    });
    let seq = 0;
    let complete = 0;
    for (let now = 0; now < 11_000; now++) {
      if (now < 10_000 && now % 20 === 0) {
        for (let i = 0; i < 3; i++) {
          const p = rtp(seq++, { timestamp: now * 90, marker: i === 2 });
          send.handlePacketSent(now, p);
          fwd.send(now, encodeRtpPacket(p));
        }
      }
      for (let p = send.pollRetransmission(); p; p = send.pollRetransmission()) fwd.send(now, encodeRtpPacket(p));
      for (const { item } of fwd.receive(now)) {
        const r = rtx.handle(decodeRtpPacket(item));
        if (r.kind === 'media') recv.handlePacket(now, r.packet, item.length, r.retransmitted);
        else if (r.kind === 'duplicate') recv.handleDuplicate();
      }
      recv.handleTimeout(now);
      for (let o = recv.poll(); o; o = recv.poll()) if (o.type === 'frame' && o.frame.complete) complete++;
      for (let c = recv.pollRtcp(); c; c = recv.pollRtcp()) back.send(now, encodeRtcpPackets([c]));
      for (const { item } of back.receive(now))
        for (const p of decodeRtcpPackets(item)) send.handleRtcp(now, UNIX + now, p);
    }
    expect(fwd.dropped).toBeGreaterThan(40);
    expect(complete).toBe(500);
    expect(recv.stats().packetsLost).toBe(0);
    expect(recv.stats().nackCount).toBeGreaterThan(0);
    expect(rtx.retransmittedPacketsReceived).toBeGreaterThan(0);
    expect(send.stats().retransmittedPacketsSent).toBeGreaterThanOrEqual(rtx.retransmittedPacketsReceived);
  });
});
