import { ChromeSession } from '@rtcwire/interop-chrome';
import { MediaStreamTrack, RTCPeerConnection, type RTCRtpTransceiver } from 'rtcwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVp8Frames, loop } from '../../examples/shared/src/media.js';
import { chromeOfferSteps } from './harness/chrome-offer-steps.js';
import { countVp8FramesByMid } from './harness/frames-by-mid.js';

// Issue 5: m= line reuse with Chrome (RFC 9429 §5.2.2). A transceiver is stopped, that is negotiated, a new
// track is added and negotiated again: the new track takes the stopped one's m= line index with a new mid,
// in both SDPs, and its media flows — with rtcwire offering, and with Chrome offering (Chrome recycles too).

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Poll `cond` every 100 ms for up to `ms` (the assertion that follows says what was expected). */
const until = async (cond: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await wait(100);
};
/** `kind:mid:port` per m= line, port shown as 0 or 'on'. */
const lines = (sdp: string) =>
  sdp
    .split(/\r?\nm=/)
    .slice(1)
    .map((m) => {
      const [kind, port] = m.split(' ');
      return `${kind}:${/\na=mid:(\S+)/.exec(m)?.[1]}:${port === '0' ? 0 : 'on'}`;
    });
const bundle = (sdp: string) => /a=group:BUNDLE ([^\r\n]*)/.exec(sdp)?.[1]?.split(' ');
const midAt = (sdp: string, index: number) => lines(sdp)[index]?.split(':')[1];

describe('m= line reuse with Chrome', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it('rtcwire offers: a new video track recycles a stopped transceiver’s line; Chrome decodes it', async () => {
    const page = await chrome.createPeer({});
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const vp8 = loadVp8Frames();
    const stops: (() => void)[] = [];
    const renegotiate = async () => {
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      const offer = pc.localDescription!.sdp;
      const answer = await page.answer(offer);
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      return { offer, answer };
    };
    const decodedByMid = async () => {
      const out = new Map<string, number>();
      for (const s of await page.statsOfType('inbound-rtp'))
        if (s.kind === 'video') out.set(String(s.mid), Number(s.framesDecoded ?? 0));
      return out;
    };
    try {
      const first = new MediaStreamTrack({ kind: 'video' });
      const second = new MediaStreamTrack({ kind: 'video' });
      pc.addTransceiver(first, { direction: 'sendonly' });
      const t2 = pc.addTransceiver(second, { direction: 'sendonly' });
      await renegotiate();
      await pc.waitForConnectionState('connected', 15_000);
      stops.push(loop(first, 'VP8', vp8.frames, vp8.fps, 90_000));

      t2.stop();
      const stopped = await renegotiate();
      expect(lines(stopped.offer)).toEqual(['video:0:on', 'video:1:0']);
      expect(lines(stopped.answer)).toEqual(['video:0:on', 'video:1:0']);
      expect(pc.getTransceivers()).not.toContain(t2);

      const third = new MediaStreamTrack({ kind: 'video' });
      const t3 = pc.addTransceiver(third, { direction: 'sendonly' });
      const reused = await renegotiate();
      console.log(
        'rtcwire re-offer lines:',
        lines(reused.offer).join(' '),
        '| Chrome answer:',
        lines(reused.answer).join(' '),
      );
      expect(t3.mid).toBe('2');
      expect(lines(reused.offer)).toEqual(['video:0:on', 'video:2:on']);
      expect(lines(reused.answer)).toEqual(['video:0:on', 'video:2:on']);
      expect(bundle(reused.answer)).toEqual(['0', '2']);
      stops.push(loop(third, 'VP8', vp8.frames, vp8.fps, 90_000));
      await wait(2500);
      const decoded = await decodedByMid();
      console.log('Chrome decoded per mid:', JSON.stringify([...decoded]));
      expect(decoded.get('2') ?? 0).toBeGreaterThan(10);
      expect(decoded.get('0') ?? 0).toBeGreaterThan(10);
      expect(pc.connectionState).toBe('connected');
    } finally {
      for (const stop of stops) stop();
      pc.close();
      await page.close().catch(() => {});
    }
  }, 60_000);

  it('Chrome offers: its re-offer recycles the stopped line with a new mid; rtcwire receives the new track', async () => {
    const page = await chrome.createPeer({});
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const trackMids: string[] = [];
    const frames = countVp8FramesByMid(pc, (mid) => trackMids.push(mid));
    // Chrome's side, driven directly: two canvas video tracks, then stop the second, then add a third. Plain
    // page JavaScript in a string (the names RTCPeerConnection/MediaStreamTrack are rtcwire's in this file).
    const chromeOffer = (step: 'start' | 'stop' | 'add') =>
      page.page.evaluate(`(${chromeOfferSteps(1)})(${JSON.stringify(step)})`) as Promise<{
        sdp: string;
        transceivers: string[];
      }>;
    const chromeAnswer = (sdp: string) =>
      page.page.evaluate(`window.offerStepsPc.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(sdp)} })`);
    const answerOffer = async (offer: string) => {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      const answer = pc.localDescription!.sdp;
      await chromeAnswer(answer);
      return answer;
    };
    try {
      await answerOffer((await chromeOffer('start')).sdp);
      await pc.waitForConnectionState('connected', 15_000);
      await until(() => (frames.get('1') ?? 0) > 5, 10_000);
      expect(frames.get('1') ?? 0).toBeGreaterThan(0);

      const stop = await chromeOffer('stop');
      expect(lines(stop.sdp)).toEqual(['video:0:on', 'video:1:0']);
      const stopAnswer = await answerOffer(stop.sdp);
      expect(lines(stopAnswer)).toEqual(['video:0:on', 'video:1:0']);
      expect(pc.getTransceivers().map((t: RTCRtpTransceiver) => t.mid)).toEqual(['0']);

      const add = await chromeOffer('add');
      console.log('Chrome re-offer lines:', lines(add.sdp).join(' '), 'transceivers:', add.transceivers.join(' '));
      const addAnswer = await answerOffer(add.sdp);
      const newMid = midAt(add.sdp, 1);
      expect(newMid).not.toBe('1');
      expect(lines(add.sdp)).toEqual(['video:0:on', `video:${newMid}:on`]);
      expect(lines(addAnswer)).toEqual(['video:0:on', `video:${newMid}:on`]);
      expect(pc.getTransceivers().map((t: RTCRtpTransceiver) => t.mid)).toEqual(['0', newMid]);
      const before = frames.get(String(newMid)) ?? 0;
      await wait(2500);
      console.log('rtcwire frames per mid:', JSON.stringify([...frames]), 'track events for mids', trackMids.join(','));
      expect(trackMids).toContain(newMid);
      expect((frames.get(String(newMid)) ?? 0) - before).toBeGreaterThan(10);
      expect(pc.connectionState).toBe('connected');
    } finally {
      pc.close();
      await page.page.evaluate('window.offerStepsPc && window.offerStepsPc.close()').catch(() => {});
      await page.close().catch(() => {});
    }
  }, 60_000);
});
