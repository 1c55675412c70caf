import { decodeRtcpPackets, encodeRtcpPackets } from '@rtcwire/rtp';
import { describe, expect, it } from 'vitest';
import { KeyframeRequester } from '../src/index.js';

describe('KeyframeRequester', () => {
  it('sends a PLI at once, then at most one per interval', () => {
    const k = new KeyframeRequester({ senderSsrc: 1, mediaSsrc: 2, minIntervalMs: 500 });
    k.request(0);
    expect(k.pollRequest()).toEqual({ type: 'pli', senderSsrc: 1, mediaSsrc: 2 });
    k.request(100);
    k.request(200);
    expect(k.pollRequest()).toBeUndefined();
    expect(k.pollTimeout()).toBe(500);
    k.handleTimeout(499);
    expect(k.pollRequest()).toBeUndefined();
    k.handleTimeout(500);
    expect(k.pollRequest()?.type).toBe('pli');
    expect(k.pliCount).toBe(2);
    expect(k.pollTimeout()).toBeUndefined();
  });

  it('forgets a pending request once a keyframe arrived', () => {
    const k = new KeyframeRequester({ senderSsrc: 1, mediaSsrc: 2 });
    k.request(0);
    k.pollRequest();
    k.request(10);
    k.handleKeyframe();
    k.handleTimeout(10_000);
    expect(k.pollRequest()).toBeUndefined();
    expect(k.pliCount).toBe(1);
  });

  it('sends FIR with an increasing command sequence number (RFC 5104 §4.3.1.1), wire round trip', () => {
    const k = new KeyframeRequester({ senderSsrc: 1, mediaSsrc: 2, method: 'fir', minIntervalMs: 0 });
    k.request(0);
    k.request(1);
    const a = k.pollRequest();
    const b = k.pollRequest();
    expect(a).toEqual({ type: 'fir', senderSsrc: 1, mediaSsrc: 0, entries: [{ ssrc: 2, sequenceNumber: 0 }] });
    expect(b).toEqual({ type: 'fir', senderSsrc: 1, mediaSsrc: 0, entries: [{ ssrc: 2, sequenceNumber: 1 }] });
    expect(decodeRtcpPackets(encodeRtcpPackets([a as NonNullable<typeof a>]))).toEqual([a]);
    expect(k.firCount).toBe(2);
  });
});
