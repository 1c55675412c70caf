import { type ChromePeer, ChromeSession } from '@rtcwire/interop-chrome';
import { MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVp8Frames, loop } from '../../examples/shared/src/media.js';

// Issue 5: renegotiation with Chrome — a track added mid-call, a direction change, and a stopped transceiver,
// each through a new rtcwire offer that Chrome answers, checked by what Chrome decodes.
describe('renegotiation: rtcwire offers again, Chrome answers', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  /** framesDecoded per mid on Chrome's side. */
  async function decodedByMid(page: ChromePeer): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const s of await page.statsOfType('inbound-rtp'))
      if (s.kind === 'video') out.set(String(s.mid), Number(s.framesDecoded ?? 0));
    return out;
  }

  async function renegotiate(pc: RTCPeerConnection, page: ChromePeer): Promise<string> {
    await pc.setLocalDescription();
    await pc.waitForGatheringComplete();
    const offer = pc.localDescription!.sdp;
    await pc.setRemoteDescription({ type: 'answer', sdp: await page.answer(offer) });
    return offer;
  }

  it('adds a second video track mid-call, makes it inactive, then stops it', async () => {
    const page = await chrome.createPeer({});
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const vp8 = loadVp8Frames();
    const stops: (() => void)[] = [];
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      const first = new MediaStreamTrack({ kind: 'video' });
      const t1 = pc.addTransceiver(first, { direction: 'sendonly' });
      await renegotiate(pc, page);
      await pc.waitForConnectionState('connected', 15_000);
      stops.push(loop(first, 'VP8', vp8.frames, vp8.fps, 90_000));
      await wait(1500);

      // 1. Add a second track: a new m-line in a new offer, same BUNDLE transport.
      const second = new MediaStreamTrack({ kind: 'video' });
      const t2 = pc.addTransceiver(second, { direction: 'sendonly' });
      const offer2 = await renegotiate(pc, page);
      expect(offer2.match(/^m=video /gm)).toHaveLength(2);
      stops.push(loop(second, 'VP8', vp8.frames, vp8.fps, 90_000));
      await wait(2000);
      const afterAdd = await decodedByMid(page);
      console.log('after adding a track, Chrome decoded per mid:', JSON.stringify([...afterAdd]));
      expect(afterAdd.get(String(t1.mid)) ?? 0).toBeGreaterThan(0);
      expect(afterAdd.get(String(t2.mid)) ?? 0).toBeGreaterThan(0);

      // 2. Direction change: the second goes inactive; Chrome's count for it stops while the first goes on.
      t2.direction = 'inactive';
      await renegotiate(pc, page);
      expect(t2.currentDirection).toBe('inactive');
      await wait(500);
      const a = await decodedByMid(page);
      await wait(1500);
      const b = await decodedByMid(page);
      console.log('second inactive:', JSON.stringify([...a]), '→', JSON.stringify([...b]));
      expect(b.get(String(t2.mid))).toBe(a.get(String(t2.mid)));
      expect(b.get(String(t1.mid)) ?? 0).toBeGreaterThan(a.get(String(t1.mid)) ?? 0);

      // 3. Stop the second transceiver: its m-line is rejected (port 0) and leaves BUNDLE; the first goes on.
      // (Stopping the BUNDLE-tagged first m-line moves the bundle to a new transport: chrome-bundle-tag.test.ts.)
      t2.stop();
      const offer4 = await renegotiate(pc, page);
      expect(offer4).toMatch(/^m=video 0 /m);
      expect(/a=group:BUNDLE ([^\r\n]*)/.exec(offer4)?.[1]?.split(' ')).not.toContain(String(t2.mid));
      const c = await decodedByMid(page);
      await wait(1500);
      const d = await decodedByMid(page);
      expect(d.get(String(t1.mid)) ?? 0).toBeGreaterThan(c.get(String(t1.mid)) ?? 0);
      expect(pc.connectionState).toBe('connected');
    } finally {
      for (const stop of stops) stop();
      pc.close();
      await page.close().catch(() => {});
    }
  }, 60_000);
});
