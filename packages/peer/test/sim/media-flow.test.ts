import { describe, expect, it } from 'vitest';
import type { PeerEvent } from '../../src/index.js';
import { negotiate, twoPeers } from './two-peers.js';

const connected = (events: PeerEvent[]) => events.some((e) => e.type === 'connection-state' && e.state === 'connected');

describe('two rtcwire engines on a simulated network', () => {
  it('negotiate, connect over ICE + DTLS (GCM), and exchange RTP, SR and PLI', async () => {
    const p = await twoPeers(1);
    const video = p.a.addTransceiver('video', { direction: 'sendonly', streamIds: ['s'], trackId: 'v' });
    p.a.addTransceiver('audio', { direction: 'sendrecv' });
    negotiate(p);
    expect(p.net.runUntil(() => connected(p.aEvents) && connected(p.bEvents), 10_000)).toBe(true);
    const dtls = p.aEvents.find((e) => e.type === 'dtls-connected');
    expect(dtls?.type === 'dtls-connected' && dtls.info.srtpProfile?.name).toBe('SRTP_AEAD_AES_128_GCM');
    // b is the answerer and, by default, the DTLS server.
    expect(dtls?.type === 'dtls-connected' && dtls.info.role).toBe('client');
    expect(p.bEvents.filter((e) => e.type === 'track').map((e) => e.type === 'track' && e.kind)).toEqual([
      'video',
      'audio',
    ]);

    // 3 s of 30 fps "video", one packet per frame.
    const start = p.net.now;
    for (let i = 0; i < 90; i++) {
      p.net.schedule(start + i * 33, () => {
        p.a.sendRtp(p.net.now, video.id, {
          payload: new Uint8Array([i & 0xff, 1, 2, 3]),
          timestamp: i * 3000,
          marker: true,
        });
      });
    }
    p.net.runUntil(start + 3500);
    const rtp = p.bEvents.filter((e) => e.type === 'rtp');
    expect(rtp).toHaveLength(90);
    expect(rtp.every((e) => e.type === 'rtp' && e.mid === '0' && e.codec.name === 'VP8')).toBe(true);
    expect(rtp.map((e) => (e.type === 'rtp' ? e.packet.payload[0] : -1))).toEqual(
      Array.from({ length: 90 }, (_, i) => i),
    );
    const sr = p.bEvents.filter((e) => e.type === 'sender-report');
    expect(sr.length).toBeGreaterThanOrEqual(2);
    // b's receiver reports about a's video came back: nothing lost, and a round trip measured from the
    // LSR/DLSR of a's SRs (RFC 3550 §6.4.1) — remote-inbound-rtp in getStats.
    const report = p.a.transceivers.find((t) => t.id === video.id)?.sender.stream.statistics;
    expect(report?.reportsReceived).toBeGreaterThanOrEqual(2);
    expect(report?.packetsLost).toBe(0);
    expect(report?.fractionLost).toBe(0);
    expect(report?.roundTripTimeMeasurements).toBeGreaterThanOrEqual(1);
    // At least the simulated links' 10 ms each way; bounded well below the report interval.
    expect(report?.roundTripTimeMs).toBeGreaterThanOrEqual(19);
    expect(report?.roundTripTimeMs).toBeLessThan(100);

    const bVideo = p.b.transceivers.find((t) => t.mid === '0')!;
    expect(p.b.requestKeyframe(p.net.now, bVideo.id)).toBe(true);
    p.net.runFor(100);
    expect(p.aEvents.some((e) => e.type === 'keyframe-request' && e.mid === '0' && e.method === 'pli')).toBe(true);
  }, 30_000);

  it('connects through 30% loss', async () => {
    const p = await twoPeers(7, { latencyMs: 20, loss: 0.3 });
    p.a.addTransceiver('audio');
    negotiate(p);
    expect(p.net.runUntil(() => connected(p.aEvents) && connected(p.bEvents), 30_000)).toBe(true);
  }, 30_000);
});
