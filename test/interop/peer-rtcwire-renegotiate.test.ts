import { MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { describe, expect, it } from 'vitest';
import { loadVp8Frames, loop } from '../../examples/shared/src/media.js';
import { countVp8FramesByMid } from './harness/frames-by-mid.js';

// Issue 5: two rtcwire RTCPeerConnections on loopback. The first (BUNDLE-tagged) transceiver is stopped: it goes
// 'stopped' and leaves getTransceivers() on both sides once negotiated; the BUNDLE tag moves but both keep their
// transport (rtcwire repeats its candidates, packages/peer/src/engine/transport-change.ts), so media goes on
// without a new handshake; then a new track recycles line 0 with a new mid (the tag moves again).

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
const bundle = (sdp: string | undefined) => /a=group:BUNDLE ([^\r\n]*)/.exec(sdp ?? '')?.[1]?.split(' ');

describe('rtcwire ⇄ rtcwire renegotiation', () => {
  it('stop the tagged transceiver, then recycle its line; W3C stopped states and media throughout', async () => {
    const config = { rtcwire: { addresses: ['127.0.0.1'] } };
    const a = new RTCPeerConnection(config);
    const b = new RTCPeerConnection(config);
    const vp8 = loadVp8Frames();
    const stops: (() => void)[] = [];
    const frames = countVp8FramesByMid(b);
    const states: string[] = [];
    a.onconnectionstatechange = () => states.push(a.connectionState);
    a.onicecandidate = (e) => void b.addIceCandidate(e.candidate).catch(() => {});
    b.onicecandidate = (e) => void a.addIceCandidate(e.candidate).catch(() => {});
    const negotiate = async () => {
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription!);
    };
    const connected = () =>
      Promise.all([a.waitForConnectionState('connected', 10_000), b.waitForConnectionState('connected', 10_000)]);
    const grows = async (mid: string) => {
      const start = frames.get(mid) ?? 0;
      await until(() => (frames.get(mid) ?? 0) > start + 20, 8000);
      return (frames.get(mid) ?? 0) - start;
    };
    try {
      const tracks = [0, 1, 2].map(() => new MediaStreamTrack({ kind: 'video' }));
      const [t0, t1] = [0, 1].map((i) => a.addTransceiver(tracks[i]!, { direction: 'sendonly' }));
      await negotiate();
      await connected();
      for (const t of tracks) stops.push(loop(t, 'VP8', vp8.frames, vp8.fps, 90_000));
      expect(await grows('1')).toBeGreaterThan(20);

      const bZero = b.getTransceivers().find((t) => t.mid === '0');
      expect(await grows('0')).toBeGreaterThan(20);
      t0!.stop();
      expect(t0!.direction).toBe('stopped');
      expect(t0!.receiver.track.readyState).toBe('ended');
      // Sending stops at once, before any renegotiation.
      await new Promise((r) => setTimeout(r, 300));
      const zeroAtStop = frames.get('0') ?? 0;
      await new Promise((r) => setTimeout(r, 700));
      expect(frames.get('0')).toBe(zeroAtStop);
      expect(bZero?.receiver.track.readyState).toBe('live');
      expect(() => {
        t0!.direction = 'sendonly';
      }).toThrow(/stopped/);
      expect(t0!.currentDirection).toBe('sendonly'); // not negotiated yet
      await negotiate();
      expect(bundle(a.localDescription?.sdp)).toEqual(['1']);
      expect(t0!.currentDirection).toBe('stopped');
      expect(a.getTransceivers().map((t) => t.mid)).toEqual(['1']);
      expect(b.getTransceivers().map((t) => t.mid)).toEqual(['1']);
      expect(bZero?.currentDirection).toBe('stopped');
      expect(bZero?.receiver.track.readyState).toBe('ended');
      await connected();
      expect(await grows('1')).toBeGreaterThan(20);

      const t2 = a.addTransceiver(tracks[2]!, { direction: 'sendonly' });
      await negotiate();
      expect(t2.mid).toBe('2');
      expect(bundle(a.localDescription?.sdp)).toEqual(['2', '1']);
      expect(bundle(b.localDescription?.sdp)).toEqual(['2', '1']);
      expect(a.getTransceivers().map((t) => t.mid)).toEqual(['1', '2']);
      expect(b.getTransceivers().map((t) => [t.mid, t.currentDirection])).toEqual([
        ['1', 'recvonly'],
        ['2', 'recvonly'],
      ]);
      await connected();
      expect(await grows('2')).toBeGreaterThan(20);
      expect(await grows('1')).toBeGreaterThan(20);
      // The transport never changed: one connection, never left 'connected'.
      expect(states).toEqual(['connecting', 'connected']);
      expect(t1!.currentDirection).toBe('sendonly');
      console.log('rtcwire ⇄ rtcwire frames per mid:', JSON.stringify([...frames]));
    } finally {
      for (const s of stops) s();
      a.close();
      b.close();
    }
  }, 60_000);
});
