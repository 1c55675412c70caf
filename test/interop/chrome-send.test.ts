import { ChromeSession } from '@rtcwire/interop-chrome';
import { DEFAULT_VIDEO_CODECS, MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadH264AccessUnits,
  loadIvfFrames,
  loadOpusPackets,
  loadVp8Frames,
  loop,
} from '../../examples/shared/src/media.js';

const FIXTURES = new URL('../../packages/codecs/test/fixtures/', import.meta.url).pathname;

// Issue 5 acceptance: rtcwire offers, Chrome answers and decodes what rtcwire sends.
describe('rtcwire offers, Chrome answers and decodes', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  async function inboundOf(page: Awaited<ReturnType<ChromeSession['createPeer']>>, kind: string) {
    return (await page.statsOfType('inbound-rtp')).find((s) => s.kind === kind);
  }

  async function until(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('sends VP8 from an IVF file and Opus from an Ogg file: Chrome decodes frames and receives audio', async () => {
    const page = await chrome.createPeer({});
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const video = new MediaStreamTrack({ kind: 'video' });
    const audio = new MediaStreamTrack({ kind: 'audio' });
    const vp8 = loadVp8Frames();
    const stops: (() => void)[] = [];
    try {
      await pc.whenReady();
      pc.addTrack(video, { id: 'rtcwire' });
      pc.addTrack(audio, { id: 'rtcwire' });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      const answer = await page.answer(pc.localDescription!.sdp);
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      await pc.waitForConnectionState('connected', 15_000);
      stops.push(loop(video, 'VP8', vp8.frames, vp8.fps, 90_000));
      stops.push(loop(audio, 'OPUS', loadOpusPackets(), 50, 48_000));
      await until(async () => Number((await inboundOf(page, 'video'))?.framesDecoded ?? 0) > 30, 8000);
      const v = await inboundOf(page, 'video');
      const a = await inboundOf(page, 'audio');
      console.log(
        'Chrome inbound:',
        JSON.stringify({
          video: { framesDecoded: v?.framesDecoded, packetsLost: v?.packetsLost, codec: v?.codecId },
          audio: { packetsReceived: a?.packetsReceived, packetsLost: a?.packetsLost },
        }),
      );
      expect(Number(v?.framesDecoded ?? 0)).toBeGreaterThan(0);
      expect(Number(a?.packetsReceived ?? 0)).toBeGreaterThan(0);
      const transport = (await page.statsOfType('transport'))[0];
      // We offered actpass; Chrome answers active, so rtcwire is the DTLS server and picks GCM.
      expect(transport?.dtlsRole).toBe('client');
      expect(String(transport?.srtpCipher)).toMatch(/GCM/);
    } finally {
      for (const s of stops) s();
      pc.close();
      await page.close().catch(() => {});
    }
  }, 60_000);

  it('echoes Chrome its own camera and microphone on the same connection (replaceTrack in ontrack)', async () => {
    const page = await chrome.createPeer({ video: true, audio: true, videoCodec: 'video/VP8' });
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    pc.ontrack = (e) => {
      void e.transceiver.sender.replaceTrack(e.track);
    };
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: await page.createOffer() });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      await page.setAnswer(pc.localDescription!.sdp);
      await pc.waitForConnectionState('connected', 15_000);
      await until(async () => Number((await inboundOf(page, 'video'))?.framesDecoded ?? 0) > 30, 8000);
      const v = await inboundOf(page, 'video');
      const a = await inboundOf(page, 'audio');
      console.log(
        'Chrome decodes its echo:',
        JSON.stringify({ framesDecoded: v?.framesDecoded, audioPacketsReceived: a?.packetsReceived }),
      );
      expect(Number(v?.framesDecoded ?? 0)).toBeGreaterThan(0);
      expect(Number(a?.packetsReceived ?? 0)).toBeGreaterThan(0);
      // RTCP both ways: Chrome's remote-inbound-rtp comes from our receiver reports about its streams
      // (with an RTT from its SRs we echoed), its remote-outbound-rtp from our sender reports; ours from its RRs.
      await until(
        async () =>
          (await page.statsOfType('remote-inbound-rtp')).length >= 2 &&
          (await page.statsOfType('remote-outbound-rtp')).length >= 2,
        5000,
      );
      const chromeRemoteIn = await page.statsOfType('remote-inbound-rtp');
      const chromeRemoteOut = await page.statsOfType('remote-outbound-rtp');
      const ours = [...(await pc.getStats()).values()].filter((s) => s.type === 'remote-inbound-rtp');
      console.log(
        'RTCP:',
        JSON.stringify({
          chromeRemoteInbound: chromeRemoteIn.map((s) => ({ kind: s.kind, rtt: s.roundTripTime, lost: s.packetsLost })),
          chromeRemoteOutbound: chromeRemoteOut.map((s) => ({ kind: s.kind, packetsSent: s.packetsSent })),
          rtcwireRemoteInbound: ours.map((s) => ({ kind: s.kind, rtt: s.roundTripTime, lost: s.packetsLost })),
        }),
      );
      expect(chromeRemoteIn.map((s) => s.kind).sort()).toEqual(['audio', 'video']);
      expect(chromeRemoteIn.some((s) => Number(s.roundTripTimeMeasurements) > 0)).toBe(true);
      // Chrome probes bandwidth by resending old packets on RTX: our reports must not count them as arrivals.
      for (const s of chromeRemoteIn) expect(Number(s.packetsLost)).toBeGreaterThanOrEqual(0);
      expect(chromeRemoteOut.map((s) => s.kind).sort()).toEqual(['audio', 'video']);
      // Chrome reports on audio every ~5 s, on video every ~1 s: video's report has surely arrived by now.
      expect(ours.map((s) => s.kind)).toContain('video');
    } finally {
      pc.close();
      await page.close().catch(() => {});
    }
  }, 60_000);

  it('offers recvonly only: Chrome answers sendonly (addTrack reuses the offered transceivers) and rtcwire receives', async () => {
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const counts = { video: 0, audio: 0, incomplete: 0 };
    const key = `answerer${Date.now()}`;
    try {
      await pc.whenReady();
      for (const kind of ['audio', 'video'] as const) {
        const t = pc.addTransceiver(kind, { direction: 'recvonly' });
        t.receiver.track.addEventListener('frame', () => counts[kind]++);
        t.receiver.track.addEventListener('incomplete-frame', () => counts.incomplete++);
      }
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      expect(pc.localDescription!.sdp).not.toMatch(/a=sendrecv|a=sendonly/);
      // A page-side answerer the way applications write one: getUserMedia, then addTrack after the offer.
      const answer = await chrome.page.evaluate(
        async ([k, offer]) => {
          // The browser's RTCPeerConnection (the bare name is rtcwire's import in this module).
          const BrowserPC = Reflect.get(globalThis, 'RTCPeerConnection') as typeof globalThis.RTCPeerConnection;
          const pc = new BrowserPC({ iceServers: [] });
          (window as unknown as Record<string, unknown>)[k] = pc;
          await pc.setRemoteDescription({ type: 'offer', sdp: offer });
          const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
          for (const track of stream.getTracks()) pc.addTrack(track, stream);
          await pc.setLocalDescription(await pc.createAnswer());
          await new Promise<void>((resolve) => {
            if (pc.iceGatheringState === 'complete') resolve();
            pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
            setTimeout(resolve, 2000);
          });
          return pc.localDescription?.sdp ?? '';
        },
        [key, pc.localDescription!.sdp] as const,
      );
      expect(answer.match(/a=sendonly/g)?.length).toBe(2);
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      await pc.waitForConnectionState('connected', 15_000);
      await until(async () => counts.video > 30 && counts.audio > 50, 8000);
      console.log('rtcwire received (recvonly offer):', JSON.stringify(counts));
      expect(counts.video).toBeGreaterThan(30);
      expect(counts.audio).toBeGreaterThan(50);
      expect(counts.incomplete).toBe(0);
    } finally {
      pc.close();
      await chrome.page
        .evaluate((k) => {
          const w = window as unknown as Record<string, RTCPeerConnection | undefined>;
          for (const s of w[k]?.getSenders() ?? []) s.track?.stop();
          w[k]?.close();
        }, key)
        .catch(() => {});
    }
  }, 60_000);

  // The same direction with H.264 (constrained baseline, packetization-mode 1), VP9 and AV1: rtcwire
  // offers only that codec and sends the codecs fixtures (320x240, 30 fps, 15 frames, looped).
  for (const codec of ['H264', 'VP9', 'AV1'] as const) {
    it(`sends ${codec}: Chrome decodes it`, async () => {
      const page = await chrome.createPeer({});
      const only = DEFAULT_VIDEO_CODECS.filter(
        (c) => c.name === codec && (codec !== 'H264' || c.parameters.get('profile-level-id') === '42e01f'),
      );
      const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'], codecs: { video: only } } });
      const video = new MediaStreamTrack({ kind: 'video' });
      const frames =
        codec === 'H264'
          ? loadH264AccessUnits(`${FIXTURES}h264.h264`)
          : loadIvfFrames(`${FIXTURES}${codec.toLowerCase()}.ivf`).frames;
      let stop: (() => void) | undefined;
      try {
        await pc.whenReady();
        pc.addTrack(video);
        await pc.setLocalDescription();
        await pc.waitForGatheringComplete();
        await pc.setRemoteDescription({ type: 'answer', sdp: await page.answer(pc.localDescription!.sdp) });
        await pc.waitForConnectionState('connected', 15_000);
        stop = loop(video, codec, frames, 30, 90_000);
        await until(async () => Number((await inboundOf(page, 'video'))?.framesDecoded ?? 0) > 30, 8000);
        const v = await inboundOf(page, 'video');
        const codecStats = (await page.statsOfType('codec')).find((c) => c.id === v?.codecId);
        console.log(
          `${codec} to Chrome: framesDecoded ${v?.framesDecoded}, ${v?.frameWidth}x${v?.frameHeight}, decoder ${v?.decoderImplementation}, ${codecStats?.mimeType} ${codecStats?.sdpFmtpLine ?? ''}`,
        );
        expect(String(codecStats?.mimeType)).toBe(`video/${codec}`);
        expect(Number(v?.framesDecoded ?? 0)).toBeGreaterThan(30);
        expect(v?.frameWidth).toBe(320);
      } finally {
        stop?.();
        pc.close();
        await page.close().catch(() => {});
      }
    }, 60_000);
  }
});
