import { ChromeSession } from '@rtcwire/interop-chrome';
import { type MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 5: SFU-style forwarding. Chrome A publishes to rtcwire connection 1; the received track is sent on
// connection 2 to Chrome B (SSRC, sequence numbers and timestamps rewritten). B starts mid-stream, so its decoder
// asks for a keyframe (PLI); that request must travel upstream through rtcwire to A, whose getStats counts it.
describe('forwarding a received track to another connection', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it('Chrome A → rtcwire → Chrome B: B decodes, and its keyframe requests reach A', async () => {
    const config = { rtcwire: { addresses: ['127.0.0.1'] } };
    const pc1 = new RTCPeerConnection(config);
    const pc2 = new RTCPeerConnection(config);
    try {
      const a = await chrome.createPeer({ video: true, direction: 'sendonly', videoCodec: 'video/VP8' });
      const received = new Promise<MediaStreamTrack>((resolve) => {
        pc1.ontrack = (e) => resolve(e.track);
      });
      await pc1.setRemoteDescription({ type: 'offer', sdp: await a.createOffer() });
      await pc1.setLocalDescription();
      await pc1.waitForGatheringComplete();
      await a.setAnswer(pc1.localDescription!.sdp);
      const track = await received;
      await a.waitForConnectionState('connected');
      // Let A run a while so B surely joins mid-stream (after A's first keyframe).
      await new Promise((r) => setTimeout(r, 1500));
      const aPliBefore = Number((await a.statsOfType('outbound-rtp'))[0]?.pliCount ?? 0);

      pc2.addTransceiver(track, { direction: 'sendonly' });
      await pc2.setLocalDescription();
      await pc2.waitForGatheringComplete();
      const b = await chrome.createPeer({});
      await pc2.setRemoteDescription({ type: 'answer', sdp: await b.answer(pc2.localDescription!.sdp) });
      await b.waitForConnectionState('connected');

      let decoded = 0;
      for (let i = 0; i < 80 && decoded < 20; i++) {
        await new Promise((r) => setTimeout(r, 100));
        decoded = Number((await b.statsOfType('inbound-rtp')).find((s) => s.kind === 'video')?.framesDecoded ?? 0);
      }
      const aPli = Number((await a.statsOfType('outbound-rtp'))[0]?.pliCount ?? 0);
      const bPli = Number((await b.statsOfType('inbound-rtp')).find((s) => s.kind === 'video')?.pliCount ?? 0);
      console.log(
        `forwarded: B decoded ${decoded} frames; B sent ${bPli} PLI; A received ${aPli - aPliBefore} PLI after B joined`,
      );
      expect(decoded).toBeGreaterThanOrEqual(20);
      expect(aPli).toBeGreaterThan(aPliBefore);
      await a.close();
      await b.close();
    } finally {
      pc1.close();
      pc2.close();
    }
  }, 60_000);
});
