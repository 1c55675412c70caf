import { decodeRtcpPackets, encodeRtcpPackets, msToCompactNtp, ntpFromUnixMs, ntpMiddle32 } from '@rtcwire/rtp';
import { describe, expect, it } from 'vitest';
import { ReceiveStatistics, SenderStatistics } from '../src/index.js';

const UNIX = 1_790_000_000_000;

describe('SenderStatistics (RFC 3550 §6.4.1)', () => {
  it('builds an SR with extrapolated RTP time and counts, round-tripping the wire', () => {
    const s = new SenderStatistics(0x42, 90_000);
    expect(s.active).toBe(false);
    s.handlePacketSent(0, 1000, 100);
    s.handlePacketSent(40, 4600, 200);
    const sr = s.senderReport(50, UNIX + 50);
    expect(sr).toMatchObject({ ssrc: 0x42, rtpTimestamp: 4600 + 900, packetCount: 2, octetCount: 300 });
    expect(sr.ntpTimestamp).toBe(ntpFromUnixMs(UNIX + 50));
    expect(decodeRtcpPackets(encodeRtcpPackets([sr]))).toEqual([sr]);
  });

  it('wraps the RTP timestamp at 32 bits', () => {
    const s = new SenderStatistics(1, 90_000);
    s.handlePacketSent(0, 0xffffff00, 1);
    expect(s.rtpTimestampAt(10)).toBe((0xffffff00 + 900) >>> 0);
  });

  it('computes RTT from LSR/DLSR of a receiver report about our SR', () => {
    const sender = new SenderStatistics(0x42, 90_000);
    sender.handlePacketSent(0, 0, 10);
    const sr = sender.senderReport(0, UNIX);
    // The SR takes 30 ms to arrive, the receiver holds it 200 ms, its RR takes 30 ms back.
    const receiver = new ReceiveStatistics(0x42, 90_000);
    receiver.handlePacket(0, 1, 0, 10);
    receiver.handleSenderReport(30, ntpMiddle32(sr.ntpTimestamp));
    const block = receiver.reportBlock(230);
    expect(block.delaySinceLastSr).toBe(msToCompactNtp(200));
    const rtt = sender.handleReportBlock(UNIX + 260, block);
    expect(rtt).toBeGreaterThan(59);
    expect(rtt).toBeLessThan(61);
    expect(sender.roundTripTimeMs).toBe(rtt);
  });

  it('exposes remote-inbound loss and jitter', () => {
    const s = new SenderStatistics(1, 90_000);
    const rtt = s.handleReportBlock(UNIX, {
      ssrc: 1,
      fractionLost: 64,
      cumulativeLost: 12,
      extendedHighestSequence: 100,
      jitter: 900,
      lastSr: 0,
      delaySinceLastSr: 0,
    });
    expect(rtt).toBeUndefined();
    expect([s.fractionLost, s.packetsLost, s.jitter]).toEqual([0.25, 12, 0.01]);
  });
});
