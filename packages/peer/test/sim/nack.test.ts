import { describe, expect, it } from 'vitest';
import { NackGenerator, type PeerEvent } from '../../src/index.js';
import { negotiate, twoPeers } from './two-peers.js';

const connected = (events: PeerEvent[]) => events.some((e) => e.type === 'connection-state' && e.state === 'connected');

describe('NackGenerator (RFC 4585 §6.2.1)', () => {
  it('requests a gap at once, retries while packets arrive, stops when the packet comes', () => {
    const g = new NackGenerator({ retryMs: 20, maxAttempts: 3 });
    expect(g.onPacket(0, 100)).toEqual([]);
    expect(g.onPacket(10, 103)).toEqual([101, 102]);
    expect(g.onPacket(15, 104)).toEqual([]); // not yet retryMs since the request
    expect(g.onPacket(31, 105)).toEqual([101, 102]);
    expect(g.onPacket(32, 101, true)).toEqual([]); // recovered through RTX
    expect(g.onPacket(52, 106)).toEqual([102]); // third and last attempt
    expect(g.onPacket(80, 107)).toEqual([]); // given up
    expect(g.requested).toBe(5);
  });
  it('wraps around 65535 and treats a huge jump as a restart', () => {
    const g = new NackGenerator({ maxMissing: 100 });
    g.onPacket(0, 65534);
    expect(g.onPacket(1, 1)).toEqual([65535, 0]);
    expect(g.onPacket(2, 30000)).toEqual([]);
  });
  it('ignores reordered and duplicate packets', () => {
    const g = new NackGenerator();
    g.onPacket(0, 10);
    expect(g.onPacket(1, 12)).toEqual([11]);
    expect(g.onPacket(2, 11)).toEqual([]);
    expect(g.onPacket(30, 12)).toEqual([]);
    expect(g.onPacket(31, 9)).toEqual([]);
  });
});

describe('receiver NACKs on a lossy path', () => {
  it('b NACKs exactly the video packets it did not receive', async () => {
    const p = await twoPeers(3, { latencyMs: 10, loss: 0.1 });
    const video = p.a.addTransceiver('video', { direction: 'sendonly' });
    negotiate(p);
    expect(p.net.runUntil(() => connected(p.aEvents) && connected(p.bEvents), 20_000)).toBe(true);
    const start = p.net.now;
    const first = 1000;
    for (let i = 0; i < 200; i++)
      p.net.schedule(start + i * 10, () =>
        p.a.sendRtp(p.net.now, video.id, {
          payload: new Uint8Array([i & 0xff]),
          timestamp: i * 900,
          marker: true,
          sequenceNumber: first + i,
        }),
      );
    p.net.runUntil(start + 2500);
    const received = new Set(p.bEvents.flatMap((e) => (e.type === 'rtp' ? [e.packet.sequenceNumber] : [])));
    const nacked = new Set(p.aEvents.flatMap((e) => (e.type === 'nack' ? e.sequenceNumbers : [])));
    const lostInside = [...Array(200).keys()].map((i) => first + i).filter((s) => !received.has(s));
    // Loss before the first and after the last received packet cannot be seen; everything else missing
    // was asked for (a NACK itself can be lost too, hence the retries), and nothing received was.
    const lastReceived = Math.max(...received);
    const firstReceived = Math.min(...received);
    const detectable = lostInside.filter((s) => s > firstReceived && s < lastReceived);
    expect(detectable.length).toBeGreaterThan(5);
    for (const s of detectable) expect(nacked.has(s)).toBe(true);
    for (const s of nacked) expect(received.has(s)).toBe(false);
  });
});
