import { ChromeSession } from '@rtcwire/interop-chrome';
import { type EncodedFrame, type IncompleteFrame, type MediaStreamTrack, RTCPeerConnection } from '@rtcwire/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 5 acceptance: Chrome offers its fake camera (VP8) and microphone (Opus); rtcwire answers, receives,
// and counts complete frames and audio packets for 5 s with none incomplete.
describe('Chrome offers, rtcwire answers and receives', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it('receives VP8 + Opus for 5 s: every frame complete', async () => {
    const page = await chrome.createPeer({ video: true, audio: true, direction: 'sendonly', videoCodec: 'video/VP8' });
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const counts = { video: 0, keyframes: 0, audio: 0, incomplete: 0 };
    const tracks: MediaStreamTrack[] = [];
    pc.ontrack = (e) => {
      tracks.push(e.track);
      e.track.addEventListener('frame', (ev) => {
        const f = (ev as CustomEvent<EncodedFrame>).detail;
        if (f.codec === 'OPUS') counts.audio++;
        else {
          counts.video++;
          if (f.keyframe) counts.keyframes++;
        }
      });
      e.track.addEventListener('incomplete-frame', (ev) => {
        counts.incomplete++;
        void (ev as CustomEvent<IncompleteFrame>).detail;
      });
    };
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: await page.createOffer() });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      await page.setAnswer(pc.localDescription!.sdp);
      await pc.waitForConnectionState('connected', 15_000);
      await page.waitForConnectionState('connected');
      expect(tracks.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
      const start = { ...counts };
      await new Promise((r) => setTimeout(r, 5000));
      const video = counts.video - start.video;
      const audio = counts.audio - start.audio;
      console.log(
        `rtcwire received in 5 s: ${video} video frames (${counts.keyframes} keyframes total), ${audio} Opus packets, ${counts.incomplete} incomplete`,
      );
      expect(video).toBeGreaterThan(25); // the fake camera runs at up to 30 fps, lower when CPU is scarce
      expect(audio).toBeGreaterThan(200); // 20 ms Opus packets
      expect(counts.keyframes).toBeGreaterThan(0);
      expect(counts.incomplete).toBe(0);
      // Every frame Chrome sent was assembled whole. Chrome's stats lag the wire by a few frames either way
      // (in flight, and its getStats cache), hence the small tolerance.
      const outbound = await page.statsOfType('outbound-rtp');
      const sentFrames = Number(outbound.find((s) => s.kind === 'video')?.framesSent ?? 0);
      const sentAudio = Number(outbound.find((s) => s.kind === 'audio')?.packetsSent ?? 0);
      console.log(
        `Chrome says it sent ${sentFrames} video frames and ${sentAudio} audio packets; rtcwire assembled ${counts.video} and ${counts.audio}`,
      );
      expect(Math.abs(counts.video - sentFrames)).toBeLessThanOrEqual(8);
      expect(Math.abs(counts.audio - sentAudio)).toBeLessThanOrEqual(15);
      const stats = await page.statsOfType('transport');
      console.log(
        'Chrome transport stats:',
        JSON.stringify({
          srtpCipher: stats[0]?.srtpCipher,
          dtlsCipher: stats[0]?.dtlsCipher,
          dtlsRole: stats[0]?.dtlsRole,
          tlsVersion: stats[0]?.tlsVersion,
        }),
      );
      // rtcwire answered passive (DTLS server) and picked GCM.
      expect(String(stats[0]?.srtpCipher)).toMatch(/GCM/);
      expect(stats[0]?.dtlsRole).toBe('client');
    } finally {
      pc.close();
      await page.close().catch(() => {});
    }
  }, 60_000);
});
