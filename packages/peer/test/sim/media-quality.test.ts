import { describe, expect, it } from 'vitest';
import type { PeerEvent, RtpFeatures } from '../../src/index.js';
import { negotiate, type TwoPeers, twoPeers } from './two-peers.js';

const connected = (events: PeerEvent[]) => events.some((e) => e.type === 'connection-state' && e.state === 'connected');

/** a sends 300 one-packet "frames" of video (10 ms apart) to b over a lossy link; returns b's sequence numbers. */
async function lossyVideo(seed: number, rtp: RtpFeatures): Promise<{ p: TwoPeers; received: number[]; first: number }> {
  const p = await twoPeers(seed, { latencyMs: 15, loss: 0.05 }, { rtp });
  const video = p.a.addTransceiver('video', { direction: 'sendonly' });
  negotiate(p);
  expect(p.net.runUntil(() => connected(p.aEvents) && connected(p.bEvents), 20_000)).toBe(true);
  const start = p.net.now;
  const first = 1000;
  for (let i = 0; i < 300; i++)
    p.net.schedule(start + i * 10, () =>
      p.a.sendRtp(p.net.now, video.id, {
        payload: new Uint8Array(200).fill(i & 0xff),
        timestamp: i * 900,
        marker: true,
        sequenceNumber: first + i,
      }),
    );
  p.net.runUntil(start + 5000);
  const received = p.bEvents.flatMap((e) => (e.type === 'rtp' ? [e.packet.sequenceNumber] : []));
  return { p, received, first };
}

describe('NACK/RTX through the engine (RFC 4585 §6.2.1, RFC 4588)', () => {
  it('b NACKs what 5% loss took and a resends it over RTX: every packet after the first arrives, once', async () => {
    const { p, received, first } = await lossyVideo(3, {});
    const firstReceived = Math.min(...received);
    const expected = [...Array(300).keys()].map((i) => first + i).filter((s) => s >= firstReceived);
    expect([...received].sort((x, y) => x - y)).toEqual(expected);
    const bVideo = p.b.transceivers[0]!;
    const inbound = [...bVideo.receiver.streams.values()][0]!.stats();
    expect(inbound.nackCount).toBeGreaterThan(0);
    expect(inbound.retransmittedPacketsReceived).toBeGreaterThan(5);
    const outbound = p.a.transceivers[0]!.sender.stream.stats();
    // NACK messages cross the same lossy link, so a may have received fewer than b sent.
    expect(outbound.nackCount).toBeGreaterThan(0);
    expect(outbound.nackCount).toBeLessThanOrEqual(inbound.nackCount);
    expect(outbound.retransmittedPacketsSent).toBeGreaterThanOrEqual(inbound.retransmittedPacketsReceived);
  }, 30_000);

  it('with nack off nothing is negotiated, requested or resent, and the loss stays', async () => {
    const { p, received } = await lossyVideo(3, { nack: false });
    expect(p.a.currentLocalDescription).not.toMatch(/a=rtcp-fb:\d+ nack\r\n/);
    expect(received.length).toBeLessThan(295);
    const inbound = [...p.b.transceivers[0]!.receiver.streams.values()][0]!.stats();
    expect(inbound.nackCount).toBe(0);
    expect(inbound.packetsLost).toBe(300 - received.length - (Math.min(...received) - 1000));
    expect(p.a.transceivers[0]!.sender.stream.stats().retransmittedPacketsSent).toBe(0);
  }, 30_000);
});

describe('jitter buffer and pacer', () => {
  it('with a 150 ms jitter buffer, repaired packets are delivered in sequence order', async () => {
    const { received } = await lossyVideo(3, { jitterBufferMs: 150 });
    expect(received.length).toBeGreaterThan(290);
    expect(received).toEqual([...received].sort((x, y) => x - y));
  }, 30_000);

  it('by default (NACKed video) repairs are delivered in order too', async () => {
    const { received } = await lossyVideo(3, {});
    expect(received.length).toBeGreaterThan(290);
    expect(received).toEqual([...received].sort((x, y) => x - y));
  }, 30_000);

  it('with the jitter buffer off, a repaired packet is delivered when it arrives (out of order)', async () => {
    const { received } = await lossyVideo(3, { jitterBufferMs: 0 });
    expect(received).not.toEqual([...received].sort((x, y) => x - y));
  }, 30_000);

  it('paced sending delivers every packet as well', async () => {
    const { received, first } = await lossyVideo(3, { pacer: true });
    const firstReceived = Math.min(...received);
    expect(new Set(received).size).toBe(300 - (firstReceived - first));
  }, 30_000);
});

describe('transport-wide congestion control', () => {
  it('b sends transport-cc feedback and a has a bandwidth estimate', async () => {
    const { p } = await lossyVideo(5, {});
    expect(p.a.currentLocalDescription).toMatch(/transport-wide-cc/);
    expect(p.a.mediaEngine.availableOutgoingBitrate).toBeGreaterThan(0);
  }, 30_000);

  it('with twcc off the extension is not negotiated and there is no estimate', async () => {
    const { p } = await lossyVideo(5, { twcc: false });
    expect(p.a.currentLocalDescription).not.toMatch(/transport-wide-cc/);
    expect(p.a.currentLocalDescription).not.toMatch(/transport-cc/);
    expect(p.a.mediaEngine.availableOutgoingBitrate).toBeUndefined();
  }, 30_000);

  it('with remb on and twcc off, b sends REMB and a takes its estimate', async () => {
    const { p } = await lossyVideo(5, { twcc: false, remb: true });
    expect(p.a.currentLocalDescription).toMatch(/goog-remb/);
    expect(p.a.mediaEngine.availableOutgoingBitrate).toBeGreaterThan(0);
  }, 30_000);
});
