import { ChromeSession } from '@rtcwire/interop-chrome';
import { MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVp8Frames, loop } from '../../examples/shared/src/media.js';
import { CANVAS_TRACK_JS, chromeOfferSteps } from './harness/chrome-offer-steps.js';
import { countVp8FramesByMid } from './harness/frames-by-mid.js';

// Issue 5: stopping the BUNDLE-tagged (first) m= line. Chromium then moves the group to the transport of the
// newly tagged section — new sockets and candidates, the same ICE ufrag/pwd and fingerprint, new ICE checks and
// a new DTLS handshake — as offerer and as answerer. rtcwire follows (packages/peer/src/engine/transport-change.ts)
// and media resumes on the remaining transceiver with its SSRC unchanged.

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Poll `cond` every 100 ms for up to `ms` (the assertion that follows says what was expected). */
const until = async (cond: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await wait(100);
};
const attr = (sdp: string, name: string, mid: string) => {
  const section = sdp.split(/\r?\nm=/).find((m) => new RegExp(`\\na=mid:${mid}\\r?\\n`).test(m)) ?? '';
  return new RegExp(`\\na=${name}:([^\\r\\n]*)`).exec(section)?.[1];
};
const bundle = (sdp: string) => /a=group:BUNDLE ([^\r\n]*)/.exec(sdp)?.[1]?.split(' ');
const ports = (sdp: string, mid: string) => {
  const section = sdp.split(/\r?\nm=/).find((m) => new RegExp(`\\na=mid:${mid}\\r?\\n`).test(m)) ?? '';
  return [...section.matchAll(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+)/g)].map((m) => m[1]);
};

describe('stopping the BUNDLE-tagged m= line with Chrome', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it.each([
    ['passive', 'client'],
    ['active', 'server'],
  ] as const)(
    'Chrome offers and stops its first transceiver; rtcwire (answerSetup %s) moves to the new transport',
    async (answerSetup, chromeRole) => {
      const page = await chrome.createPeer({});
      const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'], answerSetup } });
      const frames = countVp8FramesByMid(pc);
      const chromeOffer = (step: 'start' | 'stop' | 'add') =>
        (page.page.evaluate(`(${chromeOfferSteps(0)})(${JSON.stringify(step)})`) as Promise<{ sdp: string }>).then(
          (r) => r.sdp,
        );
      const answerOffer = async (offer: string) => {
        await pc.setRemoteDescription({ type: 'offer', sdp: offer });
        await pc.setLocalDescription();
        await pc.waitForGatheringComplete();
        const answer = pc.localDescription!.sdp;
        await page.page.evaluate(
          `window.offerStepsPc.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(answer)} })`,
        );
        return answer;
      };
      const chromeTransport = async () =>
        (await page.page.evaluate(
          `window.offerStepsPc.getStats().then((r) => [...r.values()].filter((s) => s.type === 'transport'))`,
        )) as Record<string, unknown>[];
      try {
        const offer1 = await chromeOffer('start');
        await answerOffer(offer1);
        await pc.waitForConnectionState('connected', 15_000);
        // Frames on mid 1 before the change (Chrome's encoder may take a while to start on a loaded machine).
        await until(() => (frames.get('1') ?? 0) > 5, 10_000);
        const midOneBefore = frames.get('1') ?? 0;
        expect(midOneBefore).toBeGreaterThan(0);

        const offer2 = await chromeOffer('stop');
        console.log(
          `Chrome's re-offer: BUNDLE ${bundle(offer1)?.join(' ')} → ${bundle(offer2)?.join(' ')}; ` +
            `ufrag ${attr(offer1, 'ice-ufrag', '0')} → ${attr(offer2, 'ice-ufrag', '1')}; ` +
            `fingerprint ${attr(offer1, 'fingerprint', '0') === attr(offer2, 'fingerprint', '1') ? 'same' : 'new'}; ` +
            `setup ${attr(offer2, 'setup', '1')}; loopback candidate ports ${ports(offer1, '0')} → ${ports(offer2, '1')}`,
        );
        expect(bundle(offer2)).toEqual(['1']);
        expect(offer2).toMatch(/^m=video 0 /m);
        const answer2 = await answerOffer(offer2);
        expect(bundle(answer2)).toEqual(['1']);
        await pc.waitForConnectionState('connected', 15_000);
        await page.page.waitForFunction(`window.offerStepsPc.connectionState === 'connected'`, undefined, {
          timeout: 15_000,
        });
        const resumed = frames.get('1') ?? 0;
        await wait(2500);
        const after = frames.get('1') ?? 0;
        const transports = await chromeTransport();
        console.log(
          `rtcwire frames on mid 1: ${midOneBefore} before the stop, ${resumed} at reconnect, ${after} 2.5 s later;`,
          'Chrome transports:',
          JSON.stringify(transports.map((t) => [t.dtlsState, t.dtlsRole, t.iceState, t.selectedCandidatePairChanges])),
        );
        expect(after - resumed).toBeGreaterThan(20);
        expect(transports.some((t) => t.dtlsState === 'connected' && t.dtlsRole === chromeRole)).toBe(true);

        // Then a new track: Chrome recycles line 0 with a new mid and lists the group in line order, so the tag
        // moves to the new mid while mid 1 stays in the group — and Chrome moves transport again; so do we.
        const offer3 = await chromeOffer('add');
        const newMid = /a=mid:(\S+)/.exec(offer3.split(/\r?\nm=/)[1] ?? '')?.[1] ?? '';
        console.log(`Chrome's third offer: BUNDLE ${bundle(offer3)?.join(' ')}, line 0 mid ${newMid}`);
        expect(newMid).not.toBe('0');
        expect(bundle(offer3)).toEqual([newMid, '1']);
        const answer3 = await answerOffer(offer3);
        expect(bundle(answer3)).toEqual([newMid, '1']);
        const beforeThird = frames.get('1') ?? 0;
        await pc.waitForConnectionState('connected', 15_000);
        await page.page.waitForFunction(`window.offerStepsPc.connectionState === 'connected'`, undefined, {
          timeout: 15_000,
        });
        await wait(2500);
        console.log('rtcwire frames per mid after the third offer:', JSON.stringify([...frames]));
        expect(frames.get(newMid) ?? 0).toBeGreaterThan(20);
        expect((frames.get('1') ?? 0) - beforeThird).toBeGreaterThan(20);
        expect(pc.connectionState).toBe('connected');
      } finally {
        pc.close();
        await page.page.evaluate('window.offerStepsPc && window.offerStepsPc.close()').catch(() => {});
        await page.close().catch(() => {});
      }
    },
    60_000,
  );

  it('rtcwire offers and stops its first transceiver: the tag moves, Chrome moves transport, media resumes', async () => {
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
    const inbound = async (mid: string) =>
      (await page.statsOfType('inbound-rtp')).find((s) => s.kind === 'video' && String(s.mid) === mid);
    try {
      const a = new MediaStreamTrack({ kind: 'video' });
      const b = new MediaStreamTrack({ kind: 'video' });
      const first = pc.addTransceiver(a, { direction: 'sendonly' });
      pc.addTransceiver(b, { direction: 'sendonly' });
      const r1 = await renegotiate();
      await pc.waitForConnectionState('connected', 15_000);
      stops.push(loop(a, 'VP8', vp8.frames, vp8.fps, 90_000));
      stops.push(loop(b, 'VP8', vp8.frames, vp8.fps, 90_000));
      await wait(1500);
      const before = await inbound('1');
      expect(Number(before?.framesDecoded ?? 0)).toBeGreaterThan(0);

      first.stop();
      const r2 = await renegotiate();
      console.log(
        `rtcwire's re-offer BUNDLE ${bundle(r1.offer)?.join(' ')} → ${bundle(r2.offer)?.join(' ')}; Chrome's answer: ` +
          `BUNDLE ${bundle(r2.answer)?.join(' ')}, ufrag ${attr(r1.answer, 'ice-ufrag', '0')} → ${attr(r2.answer, 'ice-ufrag', '1')}, ` +
          `loopback candidate ports ${ports(r1.answer, '0')} → ${ports(r2.answer, '1')}`,
      );
      expect(bundle(r2.offer)).toEqual(['1']);
      expect(bundle(r2.answer)).toEqual(['1']);
      // Our side keeps its ICE credentials and certificate; only the association is new.
      expect(attr(r2.offer, 'ice-ufrag', '1')).toBe(attr(r1.offer, 'ice-ufrag', '0'));
      await pc.waitForConnectionState('connected', 15_000);
      await page.waitForConnectionState('connected');
      const resumed = await inbound('1');
      await wait(2500);
      const after = await inbound('1');
      console.log(
        `Chrome decoded on mid 1: ${before?.framesDecoded} before, ${resumed?.framesDecoded} at reconnect, ${after?.framesDecoded} 2.5 s later; ssrc ${before?.ssrc} → ${after?.ssrc}`,
      );
      expect(Number(after?.framesDecoded ?? 0) - Number(resumed?.framesDecoded ?? 0)).toBeGreaterThan(20);
      // The transceiver's SSRC carried on across the new transport.
      expect(after?.ssrc).toBe(before?.ssrc);
      expect(pc.connectionState).toBe('connected');

      // Then a new track recycles line 0 (mid 2). The group is in line order (`BUNDLE 2 1`) as Chrome writes it,
      // so the tag and the transport move again, on both sides.
      const c = new MediaStreamTrack({ kind: 'video' });
      const third = pc.addTransceiver(c, { direction: 'sendonly' });
      const r3 = await renegotiate();
      console.log(
        `rtcwire's third offer: BUNDLE ${bundle(r3.offer)?.join(' ')}; Chrome's answer BUNDLE ${bundle(r3.answer)?.join(' ')}`,
      );
      expect(third.mid).toBe('2');
      expect(/a=mid:(\S+)/.exec(r3.offer.split(/\r?\nm=/)[1] ?? '')?.[1]).toBe('2');
      expect(bundle(r3.offer)).toEqual(['2', '1']);
      expect(bundle(r3.answer)).toEqual(['2', '1']);
      stops.push(loop(c, 'VP8', vp8.frames, vp8.fps, 90_000));
      await pc.waitForConnectionState('connected', 15_000);
      await page.waitForConnectionState('connected');
      const midOne = await inbound('1');
      await wait(2500);
      const recycled = await inbound('2');
      const midOneLater = await inbound('1');
      console.log(
        `Chrome decoded on the recycled line (mid 2): ${recycled?.framesDecoded}; mid 1: ${midOne?.framesDecoded} → ${midOneLater?.framesDecoded}`,
      );
      expect(Number(recycled?.framesDecoded ?? 0)).toBeGreaterThan(20);
      expect(Number(midOneLater?.framesDecoded ?? 0) - Number(midOne?.framesDecoded ?? 0)).toBeGreaterThan(20);
      expect(pc.connectionState).toBe('connected');
    } finally {
      for (const s of stops) s();
      pc.close();
      await page.close().catch(() => {});
    }
  }, 60_000);

  it('with trickle ICE both ways: Chrome stops its first transceiver and rtcwire follows it to the new transport', async () => {
    // Descriptions go out right after setLocalDescription (no waiting for gathering) and every candidate is
    // forwarded with its sdpMid, as a browser app would — Chrome's per-section candidates included.
    const page = await chrome.createPeer({});
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const frames = countVp8FramesByMid(pc);
    const toChrome: unknown[] = [];
    pc.onicecandidate = (e) => toChrome.push(e.candidate ? e.candidate.toJSON() : null);
    const TRICKLE_STEP = `async (step) => {
      ${CANVAS_TRACK_JS}
      if (step === 'start') {
        window.tricklePc = new RTCPeerConnection({ iceServers: [] });
        window.trickled = [];
        window.tricklePc.onicecandidate = (e) => window.trickled.push(e.candidate ? e.candidate.toJSON() : null);
        window.tricklePc.addTransceiver(canvasTrack(), { direction: 'sendonly' });
        window.tricklePc.addTransceiver(canvasTrack(), { direction: 'sendonly' });
      }
      const pc = window.tricklePc;
      if (step === 'stop') pc.getTransceivers()[0].stop();
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription.sdp;
    }`;
    let forwarding = true;
    const forward = (async () => {
      while (forwarding) {
        const fromChrome = (await page.page
          .evaluate('window.trickled ? window.trickled.splice(0) : []')
          .catch(() => [])) as ({ candidate: string; sdpMid: string | null } | null)[];
        for (const c of fromChrome) if (c) await pc.addIceCandidate(c).catch(() => {});
        const batch = toChrome.splice(0);
        if (batch.length > 0)
          await page.page
            .evaluate(
              `Promise.all(${JSON.stringify(batch)}.map((c) => window.tricklePc.addIceCandidate(c).catch(() => {})))`,
            )
            .catch(() => {});
        await wait(50);
      }
    })();
    const answerOffer = async (offer: string) => {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription();
      const answer = pc.localDescription!.sdp;
      await page.page.evaluate(
        `window.tricklePc.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(answer)} })`,
      );
    };
    try {
      await answerOffer((await page.page.evaluate(`(${TRICKLE_STEP})('start')`)) as string);
      await pc.waitForConnectionState('connected', 15_000);
      await until(() => (frames.get('1') ?? 0) > 5, 10_000);
      expect(frames.get('1') ?? 0).toBeGreaterThan(5);

      const offer2 = (await page.page.evaluate(`(${TRICKLE_STEP})('stop')`)) as string;
      console.log(
        `trickle re-offer: BUNDLE ${bundle(offer2)?.join(' ')}, loopback candidates in it: ${ports(offer2, '1')}`,
      );
      await answerOffer(offer2);
      await pc.waitForConnectionState('connected', 15_000);
      await page.page.waitForFunction(`window.tricklePc.connectionState === 'connected'`, undefined, {
        timeout: 15_000,
      });
      const resumed = frames.get('1') ?? 0;
      await wait(2500);
      console.log(`trickle: rtcwire frames on mid 1 ${resumed} → ${frames.get('1') ?? 0}`);
      expect((frames.get('1') ?? 0) - resumed).toBeGreaterThan(20);
    } finally {
      forwarding = false;
      await forward;
      pc.close();
      await page.page.evaluate('window.tricklePc && window.tricklePc.close()').catch(() => {});
      await page.close().catch(() => {});
    }
  }, 60_000);

  it('with trickle ICE both ways: rtcwire offers and stops its first transceiver; Chrome answers without candidates', async () => {
    const page = await chrome.createPeer({});
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    const vp8 = loadVp8Frames();
    const stops: (() => void)[] = [];
    pc.onicecandidate = (e) => void page.addIceCandidate(e.candidate ? e.candidate.toJSON() : null).catch(() => {});
    let forwarded = 0;
    let forwarding = true;
    const forward = (async () => {
      while (forwarding) {
        const all = await page.candidates().catch(() => []);
        for (const c of all.slice(forwarded)) if (c) await pc.addIceCandidate(c).catch(() => {});
        forwarded = all.length;
        await wait(50);
      }
    })();
    const renegotiate = async () => {
      await pc.setLocalDescription();
      const answer = await page.answer(pc.localDescription!.sdp, 0); // sent at once, candidates trickle
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      return answer;
    };
    const inbound = async (mid: string) =>
      (await page.statsOfType('inbound-rtp')).find((s) => s.kind === 'video' && String(s.mid) === mid);
    try {
      const a = new MediaStreamTrack({ kind: 'video' });
      const b = new MediaStreamTrack({ kind: 'video' });
      const first = pc.addTransceiver(a, { direction: 'sendonly' });
      pc.addTransceiver(b, { direction: 'sendonly' });
      await renegotiate();
      await pc.waitForConnectionState('connected', 15_000);
      stops.push(loop(a, 'VP8', vp8.frames, vp8.fps, 90_000));
      stops.push(loop(b, 'VP8', vp8.frames, vp8.fps, 90_000));
      await wait(1500);
      first.stop();
      const answer2 = await renegotiate();
      console.log(
        `trickle: Chrome's answer BUNDLE ${bundle(answer2)?.join(' ')}, loopback candidates in it: [${ports(answer2, '1')}]`,
      );
      await pc.waitForConnectionState('connected', 15_000);
      await page.waitForConnectionState('connected');
      const resumed = await inbound('1');
      await wait(2500);
      const after = await inbound('1');
      console.log(`trickle: Chrome decoded on mid 1 ${resumed?.framesDecoded} → ${after?.framesDecoded}`);
      expect(Number(after?.framesDecoded ?? 0) - Number(resumed?.framesDecoded ?? 0)).toBeGreaterThan(20);
    } finally {
      forwarding = false;
      await forward;
      for (const s of stops) s();
      pc.close();
      await page.close().catch(() => {});
    }
  }, 60_000);
});
