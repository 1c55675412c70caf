import { type EncodedFrame, MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { describe, expect, it } from 'vitest';
import { RTCPeerConnection as WeriftPeerConnection } from 'werift';
import { loadOpusPackets, loadVp8Frames, loop } from '../../examples/shared/src/media.js';

// Issue 5 acceptance: rtcwire ⇄ werift exchange media on loopback. werift offers two sendrecv
// transceivers and echoes whatever it receives (its own `sender.replaceTrack(remoteTrack)`); rtcwire
// answers, attaches VP8 and Opus tracks in `ontrack`, and gets its own frames back whole.
describe('rtcwire ⇄ werift', () => {
  it('werift offers and echoes; rtcwire answers, sends VP8 + Opus and receives them back complete', async () => {
    const werift = new WeriftPeerConnection({ iceServers: [] });
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const vp8 = loadVp8Frames();
    const opus = loadOpusPackets();
    const stops: (() => void)[] = [];
    const weriftGot = { video: 0, audio: 0 };
    const back = { VP8: 0, OPUS: 0, incomplete: 0 };
    try {
      for (const kind of ['video', 'audio'] as const) {
        const t = werift.addTransceiver(kind, { direction: 'sendrecv' });
        t.onTrack.subscribe((track) => {
          track.onReceiveRtp.subscribe(() => weriftGot[kind]++);
          void t.sender.replaceTrack(track);
        });
      }
      const local = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };
      pc.ontrack = (e) => {
        void e.transceiver.sender.replaceTrack(local[e.track.kind]);
        e.track.addEventListener('frame', (ev) => {
          const f = (ev as CustomEvent<EncodedFrame>).detail;
          if (f.codec === 'VP8' || f.codec === 'OPUS') back[f.codec]++;
        });
        e.track.addEventListener('incomplete-frame', () => back.incomplete++);
      };
      await werift.setLocalDescription(await werift.createOffer());
      await pc.setRemoteDescription({ type: 'offer', sdp: werift.localDescription?.sdp ?? '' });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      await werift.setRemoteDescription({ type: 'answer', sdp: pc.localDescription!.sdp });
      await pc.waitForConnectionState('connected', 15_000);
      stops.push(loop(local.video, 'VP8', vp8.frames, vp8.fps, 90_000));
      stops.push(loop(local.audio, 'OPUS', opus, 50, 48_000));
      const deadline = Date.now() + 8000;
      while ((back.VP8 < 45 || back.OPUS < 60) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      console.log('werift received RTP:', JSON.stringify(weriftGot), 'rtcwire got back frames:', JSON.stringify(back));
      expect(weriftGot.video).toBeGreaterThan(45);
      expect(weriftGot.audio).toBeGreaterThan(60);
      expect(back.VP8).toBeGreaterThanOrEqual(45);
      expect(back.OPUS).toBeGreaterThanOrEqual(60);
      expect(back.incomplete).toBe(0);
    } finally {
      for (const s of stops) s();
      pc.close();
      await werift.close();
    }
  }, 30_000);
});
