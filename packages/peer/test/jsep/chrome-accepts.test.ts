import { ChromeSession } from '@rtcwire/interop-chrome';
import { bundleMids, mediaCodecs, mediaDirection, parseSdp, writeSdp } from '@rtcwire/sdp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerSection,
  buildDescription,
  DEFAULT_AUDIO_CODECS,
  DEFAULT_VIDEO_CODECS,
  offerSection,
} from '../../src/index.js';
import { caps, transport } from './fixtures.js';

// Chrome is the judge of our SDP: it must accept our answers to its offers (incl. recvonly-only ones
// and ones with a section we reject) and answer our offers with the codecs we expect.
describe('Chromium accepts rtcwire JSEP descriptions', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it.each([
    ['sendrecv camera+mic', { video: true, audio: true }],
    ['recvonly-only', { recvOnly: ['audio', 'video'] as ('audio' | 'video')[] }],
  ])(
    'answers a %s offer',
    async (_name, opts) => {
      const peer = await chrome.createPeer(opts);
      const offer = parseSdp(await peer.createOffer(500));
      const sections = offer.media.map((m) =>
        answerSection({ offered: m, transceiverDirection: 'recvonly' }, offer, caps),
      );
      const answer = writeSdp(buildDescription({ sessionId: '42', sessionVersion: 1, sections, transport }));
      await peer.setAnswer(answer); // throws if Chrome rejects the SDP
      const state = await peer.state();
      expect(state.signalingState).toBe('stable');
      await peer.close();
    },
    30_000,
  );

  it('answers an offer whose data channel section it rejects (leaving BUNDLE)', async () => {
    const peer = await chrome.createPeer({});
    const offerText = await peer.page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.createDataChannel('x');
      await pc.setLocalDescription(await pc.createOffer());
      (window as unknown as { dcPeer: RTCPeerConnection }).dcPeer = pc;
      return pc.localDescription!.sdp;
    });
    const offer = parseSdp(offerText);
    expect(offer.media.map((m) => m.kind)).toEqual(['video', 'application']);
    const sections = offer.media.map((m) =>
      answerSection({ offered: m, transceiverDirection: 'recvonly' }, offer, caps),
    );
    const answer = buildDescription({ sessionId: '43', sessionVersion: 1, sections, transport });
    expect(bundleMids(answer)).toEqual(['0']);
    await peer.page.evaluate(async (sdp) => {
      await (window as unknown as { dcPeer: RTCPeerConnection }).dcPeer.setRemoteDescription({ type: 'answer', sdp });
    }, writeSdp(answer));
    await peer.close();
  }, 30_000);

  it('gets a Chrome answer to an rtcwire offer with the codecs and directions we expect', async () => {
    const peer = await chrome.createPeer({});
    const sender = { ssrc: 1111, rtxSsrc: 2222, cname: 'rtcwire', streamIds: ['s'], trackId: 'v' };
    const sections = [
      offerSection(
        { mid: '0', kind: 'audio', direction: 'sendrecv', sender: { ...sender, ssrc: 3333, trackId: 'a' } },
        DEFAULT_AUDIO_CODECS,
        caps.extensions,
      ),
      offerSection({ mid: '1', kind: 'video', direction: 'sendrecv', sender }, DEFAULT_VIDEO_CODECS, caps.extensions),
    ];
    const offer = writeSdp(
      buildDescription({ sessionId: '44', sessionVersion: 1, sections, transport: { ...transport, setup: 'actpass' } }),
    );
    const answer = parseSdp(await peer.answer(offer, 500));
    expect(bundleMids(answer)).toEqual(['0', '1']);
    expect(mediaDirection(answer.media[1]!)).toBe('recvonly');
    expect(mediaCodecs(answer.media[0]!)[0]?.name).toBe('opus');
    const video = mediaCodecs(answer.media[1]!).map((c) => c.name);
    expect(video).toEqual(expect.arrayContaining(['VP8', 'VP9', 'H264', 'AV1', 'rtx']));
    await peer.close();
  }, 30_000);
});
