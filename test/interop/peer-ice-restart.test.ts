import { type EncodedFrame, MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { describe, expect, it } from 'vitest';
import { loadVp8Frames, loop } from '../../examples/shared/src/media.js';

// ICE restart (RFC 8445 §9, RFC 9429 §4.1.18) between two rtcwire peers: restartIce() → negotiationneeded → a new
// offer with new credentials → the answerer restarts too → media keeps flowing and both sides end connected.

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return cond();
}

const ufragOf = (sdp: string): string | undefined => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];

describe('ICE restart between rtcwire peers', () => {
  it('renegotiates new ICE credentials on both sides without losing the call', async () => {
    const config = { rtcwire: { addresses: ['127.0.0.1'] } };
    const a = new RTCPeerConnection(config);
    const b = new RTCPeerConnection(config);
    let frames = 0;
    b.ontrack = (e) =>
      e.track.addEventListener('frame', (ev) => void ((ev as CustomEvent<EncodedFrame>).detail && frames++));
    a.onicecandidate = (e) => void b.addIceCandidate(e.candidate).catch(() => {});
    b.onicecandidate = (e) => void a.addIceCandidate(e.candidate).catch(() => {});
    let stop = (): void => {};
    try {
      const video = new MediaStreamTrack({ kind: 'video' });
      a.addTrack(video);
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription!);
      await Promise.all([a.waitForConnectionState('connected', 10_000), b.waitForConnectionState('connected', 10_000)]);
      const vp8 = loadVp8Frames();
      stop = loop(video, 'VP8', vp8.frames, vp8.fps, 90_000);
      expect(await until(() => frames >= 20, 5000)).toBe(true);
      const before = { a: ufragOf(a.localDescription!.sdp), b: ufragOf(b.localDescription!.sdp) };

      let negotiationNeeded = false;
      a.onnegotiationneeded = () => {
        negotiationNeeded = true;
      };
      a.restartIce();
      // webrtc-pc §4.7.3: the event is queued in a task, not fired inside restartIce().
      expect(await until(() => negotiationNeeded, 2000)).toBe(true);
      await a.setLocalDescription(); // a new offer
      const offerUfrag = ufragOf(a.localDescription!.sdp);
      expect(offerUfrag).not.toBe(before.a);
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(); // the answerer restarts on seeing a new remote ufrag
      expect(ufragOf(b.localDescription!.sdp)).not.toBe(before.b);
      await a.setRemoteDescription(b.localDescription!);

      const atRestart = frames;
      expect(await until(() => frames >= atRestart + 30, 8000)).toBe(true);
      expect(a.connectionState).toBe('connected');
      expect(b.connectionState).toBe('connected');
      expect(a.iceConnectionState === 'connected' || a.iceConnectionState === 'completed').toBe(true);
      console.log(`ICE restart: ufrag ${before.a} → ${offerUfrag}; frames ${atRestart} at restart, ${frames} after`);
    } finally {
      stop();
      a.close();
      b.close();
    }
  }, 40_000);
});
