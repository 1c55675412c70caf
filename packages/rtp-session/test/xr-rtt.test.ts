import { decodeRtcpPackets, type ExtendedReport, encodeRtcpPackets } from '@rtcwire/rtp';
import { describe, expect, it } from 'vitest';
import { XrRttReceiver, XrRttResponder } from '../src/index.js';

const UNIX = 1_790_000_000_000;
const trip = (xr: ExtendedReport): ExtendedReport => decodeRtcpPackets(encodeRtcpPackets([xr]))[0] as ExtendedReport;

describe('XR RRTR/DLRR round-trip time (RFC 3611 §4.4, §4.5)', () => {
  it('measures 60 ms for 30 ms each way, excluding a 20 ms hold, over the wire', () => {
    const receiver = new XrRttReceiver(0x77);
    const sender = new XrRttResponder();
    const rrtr = trip(receiver.referenceTimeReport(UNIX));
    sender.handleExtendedReport(1030, rrtr); // arrives after 30 ms (sender's own clock)
    expect(sender.responseReport(1000, 1)).toBeDefined();
    const dlrr = trip(sender.responseReport(1050, 0x55) as ExtendedReport); // answered 20 ms later
    const rtt = receiver.handleExtendedReport(UNIX + 80, dlrr);
    expect(rtt).toBeGreaterThan(59);
    expect(rtt).toBeLessThan(61);
    expect(receiver.roundTripTimeMs).toBe(rtt);
  });

  it('ignores DLRR for other SSRCs and answers nothing before an RRTR', () => {
    const receiver = new XrRttReceiver(0x77);
    const sender = new XrRttResponder();
    expect(sender.responseReport(0, 1)).toBeUndefined();
    const other: ExtendedReport = {
      type: 'xr',
      ssrc: 1,
      blocks: [{ kind: 'dlrr', subBlocks: [{ ssrc: 0x78, lastRr: 5, delaySinceLastRr: 0 }] }],
    };
    expect(receiver.handleExtendedReport(UNIX, other)).toBeUndefined();
  });
});
