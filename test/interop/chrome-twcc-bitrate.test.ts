import { ChromeSession, type ChromePeer, type StatsEntry } from '@rtcwire/interop-chrome';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerProcess } from './harness/peer-process.js';

/*
 * Issue 7 acceptance (bitrate): over clean loopback, Chrome sends a 1280x720 fake camera (VP8) to an rtcwire
 * RTCPeerConnection (Chrome offers, rtcwire answers). Chrome's send-side bandwidth estimate
 * (`availableOutgoingBitrate` on its selected candidate pair), polled every 500 ms for 10 s after connecting:
 *  - with our transport-wide-cc feedback (default) it reaches ≥ 1.5 Mbit/s, since the feedback lets its
 *    delay-based estimator ramp up;
 *  - with `rtp: { twcc: false }` we negotiate neither the transport-cc header extension nor its feedback and
 *    send no REMB either, so only the loss-based estimator (fed by our receiver reports) moves it; it stays
 *    far lower (< 1.0 Mbit/s; see the report of this test for what it measured).
 * Both peaks and the video bitrate we actually received (our inbound-rtp bytesReceived over the window) are
 * printed. A third case calibrates the 1.5 Mbit/s bar on this machine: two Chrome peers in the page, the same
 * camera, the same polling — Chrome's own TWCC receiver lets the estimate reach it (if that fails, the
 * machine cannot show what the first case asks, whatever rtcwire does).
 *
 * rtcwire runs in a child process (harness/peer-process.ts), as a server would, not in this test process:
 * Chrome's estimate is set within the first second by its bandwidth probes, whose receive rate it computes
 * from the arrival times in our feedback, and this process stalls its event loop for up to hundreds of ms
 * while Playwright returns Chrome's getStats. With the peer in this process (an experiment, 6 alternating
 * runs): polling Chrome's stats every 100 ms gave estimates of 344k, 1670k and 3116k with event-loop stalls
 * of 524, 163 and 31 ms; not polling gave 3775k, 3386k and 3321k with stalls ≤ 44 ms.
 */
const WINDOW_MS = 10_000;
const POLL_MS = 500;
const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

interface Run {
  peakBps: number;
  samples: number[];
  receivedBps: number;
  answer: string;
  sent: StatsEntry | undefined;
  /** What our receiver reports told Chrome about its video stream. */
  remoteInbound: StatsEntry | undefined;
}

/** Chrome's selected candidate pair: the one its transport names, else the nominated succeeded one. */
async function selectedPair(page: ChromePeer): Promise<StatsEntry | undefined> {
  const stats = await page.stats();
  const transport = stats.find((s) => s.type === 'transport');
  const id = transport?.selectedCandidatePairId;
  return (
    stats.find((s) => s.type === 'candidate-pair' && s.id === id) ??
    stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded')
  );
}

async function videoBytesReceived(peer: PeerProcess): Promise<number> {
  const v = (await peer.stats()).find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
  return Number(v?.bytesReceived ?? 0);
}

describe('Chrome bandwidth estimate with and without our TWCC feedback', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  async function measure(twcc: boolean): Promise<Run> {
    const peer = PeerProcess.start();
    const page = await chrome.createPeer({
      video: true,
      width: 1280,
      height: 720,
      direction: 'sendonly',
      videoCodec: 'video/VP8',
    });
    try {
      const answer = await peer.answer(await page.createOffer(), {
        rtcwire: { addresses: ['127.0.0.1'], rtp: { twcc } },
      });
      await page.setAnswer(answer);
      await peer.waitConnected();
      await page.waitForConnectionState('connected');
      const start = Date.now();
      const bytes0 = await videoBytesReceived(peer);
      const samples: number[] = [];
      while (Date.now() - start < WINDOW_MS) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        samples.push(Number((await selectedPair(page))?.availableOutgoingBitrate ?? 0));
      }
      const receivedBps = (((await videoBytesReceived(peer)) - bytes0) * 8) / ((Date.now() - start) / 1000);
      const sent = (await page.statsOfType('outbound-rtp')).find((s) => s.kind === 'video');
      const remoteInbound = (await page.statsOfType('remote-inbound-rtp')).find((s) => s.kind === 'video');
      return { peakBps: Math.max(0, ...samples), samples, receivedBps, answer, sent, remoteInbound };
    } finally {
      await peer.close();
      await page.close().catch(() => {});
    }
  }

  function print(label: string, r: Run): void {
    const mbps = (x: number): string => `${(x / 1e6).toFixed(2)} Mbit/s`;
    console.log(
      [
        `${label}: Chrome availableOutgoingBitrate peak ${mbps(r.peakBps)}; rtcwire received video at ${mbps(r.receivedBps)} over the ${WINDOW_MS / 1000} s window`,
        `  samples every ${POLL_MS} ms (kbit/s): ${r.samples.map((s) => Math.round(s / 1000)).join(' ')}`,
        `  Chrome outbound-rtp video: ${r.sent?.frameWidth}x${r.sent?.frameHeight} @ ${r.sent?.framesPerSecond} fps, targetBitrate ${r.sent?.targetBitrate}, qualityLimitationReason ${r.sent?.qualityLimitationReason}, retransmittedPacketsSent ${r.sent?.retransmittedPacketsSent}`,
        `  Chrome remote-inbound-rtp video (our RRs): fractionLost ${r.remoteInbound?.fractionLost}, packetsLost ${r.remoteInbound?.packetsLost}, roundTripTime ${r.remoteInbound?.roundTripTime}`,
      ].join('\n'),
    );
  }

  it('with TWCC feedback Chrome’s estimate reaches ≥ 1.5 Mbit/s within 10 s', async () => {
    const r = await measure(true);
    print('TWCC on', r);
    expect(r.answer).toContain(TWCC_URI);
    expect(r.answer).toMatch(/a=rtcp-fb:\d+ transport-cc/);
    expect(r.peakBps).toBeGreaterThanOrEqual(1_500_000);
    expect(r.receivedBps).toBeGreaterThan(0);
  }, 60_000);

  it('calibration: Chrome → Chrome in the same page reaches ≥ 1.5 Mbit/s within 10 s', async () => {
    const samples = await chrome.page.evaluate(
      async ([windowMs, pollMs]) => {
        // The browser's RTCPeerConnection (the bare name is rtcwire's import in this module).
        const BrowserPC = Reflect.get(globalThis, 'RTCPeerConnection') as typeof globalThis.RTCPeerConnection;
        const a = new BrowserPC({ iceServers: [] });
        const b = new BrowserPC({ iceServers: [] });
        a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
        b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { width: 1280, height: 720, frameRate: 30 },
        });
        try {
          for (const track of stream.getTracks()) a.addTrack(track, stream);
          await a.setLocalDescription(await a.createOffer());
          await b.setRemoteDescription(a.localDescription as RTCSessionDescriptionInit);
          await b.setLocalDescription(await b.createAnswer());
          await a.setRemoteDescription(b.localDescription as RTCSessionDescriptionInit);
          const deadline = Date.now() + 15_000;
          while (a.connectionState !== 'connected' && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 50));
          const out: number[] = [];
          const start = Date.now();
          while (Date.now() - start < windowMs) {
            await new Promise((r) => setTimeout(r, pollMs));
            const stats: Record<string, unknown>[] = [];
            (await a.getStats()).forEach((s: Record<string, unknown>) => {
              stats.push(s);
            });
            const transport = stats.find((s) => s.type === 'transport');
            const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
            out.push(Number(pair?.availableOutgoingBitrate ?? 0));
          }
          return out;
        } finally {
          for (const t of stream.getTracks()) t.stop();
          a.close();
          b.close();
        }
      },
      [WINDOW_MS, POLL_MS] as const,
    );
    const peak = Math.max(0, ...samples);
    console.log(
      `Chrome → Chrome: availableOutgoingBitrate peak ${(peak / 1e6).toFixed(2)} Mbit/s; samples (kbit/s): ${samples.map((s) => Math.round(s / 1000)).join(' ')}`,
    );
    expect(peak).toBeGreaterThanOrEqual(1_500_000);
  }, 60_000);

  it('with TWCC off (rtp: { twcc: false }) it stays far lower', async () => {
    const r = await measure(false);
    print('TWCC off', r);
    expect(r.answer).not.toContain(TWCC_URI);
    expect(r.answer).not.toMatch(/transport-cc/);
    expect(r.samples.some((s) => s > 0)).toBe(true); // Chrome did report an estimate
    expect(r.peakBps).toBeLessThan(1_000_000);
  }, 60_000);
});
