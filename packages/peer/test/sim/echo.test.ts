import { describe, expect, it } from 'vitest';
import type { PeerEvent } from '../../src/index.js';
import { twoPeers } from './two-peers.js';

const connected = (events: PeerEvent[]) => events.some((e) => e.type === 'connection-state' && e.state === 'connected');

// W3C webrtc-pc §4.4.1.6: `track` fires during setRemoteDescription(offer), so an application can
// make the transceiver send (echo) before it answers.
describe('track during setRemoteDescription (echo before answering)', () => {
  it('raises track for each sending section of the offer, and a sendrecv answer echoes RTP back', async () => {
    const p = await twoPeers(7);
    const video = p.a.addTransceiver('video', { direction: 'sendrecv' });
    p.a.addTransceiver('audio', { direction: 'recvonly' }); // a does not send audio: no track for it on b
    const offer = p.a.createOffer();
    p.a.setLocalDescription(p.net.now, 'offer', offer);
    p.b.setRemoteDescription(p.net.now, 'offer', offer);
    // Only what b's driver has not drained yet: the events of this call.
    const raised: PeerEvent[] = [];
    for (let e = p.b.pollEvent(); e; e = p.b.pollEvent()) raised.push(e);
    const tracks = raised.filter((e) => e.type === 'track');
    expect(tracks.map((e) => e.type === 'track' && e.kind)).toEqual(['video']);
    expect(p.b.signalingState).toBe('have-remote-offer');

    // The application attaches a sender in its track handler: the transceiver now sends too.
    const bVideo = p.b.transceivers.find((t) => t.kind === 'video')!;
    expect(bVideo.direction).toBe('recvonly');
    bVideo.direction = 'sendrecv';
    const answer = p.b.createAnswer();
    expect(answer).toMatch(/m=video[\s\S]*a=sendrecv[\s\S]*m=audio[\s\S]*a=inactive/);
    p.b.setLocalDescription(p.net.now, 'answer', answer);
    p.a.setRemoteDescription(p.net.now, 'answer', answer);
    expect(p.net.runUntil(() => connected(p.aEvents) && connected(p.bEvents), 10_000)).toBe(true);

    // a → b, and b echoes each packet back on the same transceiver.
    const start = p.net.now;
    for (let i = 0; i < 10; i++)
      p.net.schedule(start + i * 33, () =>
        p.a.sendRtp(p.net.now, video.id, { payload: new Uint8Array([i]), timestamp: i * 3000, marker: true }),
      );
    p.net.runUntil(start + 400);
    const atB = p.bEvents.filter((e) => e.type === 'rtp');
    expect(atB).toHaveLength(10);
    for (const e of atB)
      if (e.type === 'rtp')
        p.b.sendRtp(p.net.now, bVideo.id, { payload: e.packet.payload, timestamp: e.packet.timestamp, marker: true });
    p.net.runFor(200);
    const back = p.aEvents.filter((e) => e.type === 'rtp');
    expect(back.map((e) => (e.type === 'rtp' ? e.packet.payload[0] : -1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
