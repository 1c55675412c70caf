import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromeSession } from '@rtcwire/interop-chrome';
import { decodeErrors } from '@rtcwire/interop-ffmpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { LossyRelay } from './harness/lossy-relay.js';
import { RecordCli } from './harness/record-cli.js';
import { decodedVideoFrames, detectFreezes, largestGap, videoPacketTimes } from './harness/video-analysis.js';
import { startWhipRelayProxy, type WhipRelayProxy } from './harness/whip-relay-proxy.js';

/*
 * Issue 7 acceptance: Chromium publishes its fake camera (VP8) and microphone over WHIP to `rtcwire record`
 * through a UDP relay that drops 5% of the datagrams in each direction (ICE, DTLS, SRTP and SRTCP alike).
 * The WHIP exchange goes through an HTTP proxy that rewrites both descriptions' candidates to the relay's
 * sockets. With NACK/RTX the recording decodes with no error and has no frozen stretch longer than 1 s;
 * Chrome answered our NACKs: retransmittedPacketsSent > 0 on its outbound-rtp, and our nackCount > 0 (the
 * recorder's end line carries each track's inbound-rtp counters under `network`; Chrome's outbound-rtp
 * nackCount, the NACKs that reached it, is printed beside it).
 */
const PUBLISH_MS = 12_000;
const LOSS = 0.05;

describe('Chrome publishes through a 5% lossy relay to rtcwire record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtcwire-lossy-rec-'));
  let recorder: RecordCli | undefined;
  let relay: LossyRelay | undefined;
  let proxy: WhipRelayProxy | undefined;
  let chrome: ChromeSession | undefined;
  afterAll(async () => {
    await chrome?.close();
    await proxy?.close();
    await relay?.close();
    await recorder?.stop();
    // RTCWIRE_KEEP_RECORDINGS=1 leaves the file for a look with ffprobe.
    if (process.env.RTCWIRE_KEEP_RECORDINGS === '1') console.log(`recording kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('records a clean, freeze-free file; Chrome retransmits what we NACK', async () => {
    [recorder, relay, chrome] = await Promise.all([
      RecordCli.start(dir),
      LossyRelay.start({ loss: LOSS, seed: 20261129 }),
      ChromeSession.launch(),
    ]);
    proxy = await startWhipRelayProxy(recorder.url, relay);
    const page = await chrome.createPeer({ video: true, audio: true, direction: 'sendonly', videoCodec: 'video/VP8' });
    const resource = await page.whipPublish(`${proxy.url}/whip`);
    await page.waitForConnectionState('connected', 20_000);
    const started = Date.now();
    // Sample Chrome's sender while it publishes (a poll, not a timing assertion).
    const samples: { t: number; retransmitted: number; nacks: number; framesSent: number }[] = [];
    while (Date.now() - started < PUBLISH_MS) {
      await new Promise((r) => setTimeout(r, 2000));
      const v = (await page.statsOfType('outbound-rtp')).find((s) => s.kind === 'video');
      samples.push({
        t: Math.round((Date.now() - started) / 1000),
        retransmitted: Number(v?.retransmittedPacketsSent ?? 0),
        nacks: Number(v?.nackCount ?? 0),
        framesSent: Number(v?.framesSent ?? 0),
      });
    }
    await page.stopSending();
    await new Promise((r) => setTimeout(r, 500)); // let the last retransmissions land before the final counters
    const outbound = await page.statsOfType('outbound-rtp');
    const video = outbound.find((s) => s.kind === 'video') ?? ({} as Record<string, unknown>);
    const audio = outbound.find((s) => s.kind === 'audio') ?? ({} as Record<string, unknown>);
    const del = await fetch(resource, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const end = await recorder.waitForEnd(resource.split('/').pop() as string);
    await page.close();

    const file = String(end.file);
    const videoMid = Object.entries(end.tracks as Record<string, { kind: string }>).find(
      ([, t]) => t.kind === 'video',
    )?.[0];
    const ours = (end.network as Record<string, Record<string, number>> | undefined)?.[videoMid ?? ''] ?? {};
    const times = videoPacketTimes(file);
    const gap = largestGap(times);
    const errors = decodeErrors(file);
    // The control: a copy with bytes flipped in eight places must show errors (the check can fail). One
    // region alone is not enough: VP8 decoding does not always notice a damaged inter frame.
    const damaged = join(dir, 'damaged.webm');
    const bytes = readFileSync(file);
    for (let k = 1; k <= 8; k++) {
      const at = Math.floor((bytes.length * k) / 10);
      for (let i = at; i < at + 3000 && i < bytes.length; i += 7) bytes[i] = (bytes[i] as number) ^ 0x55;
    }
    writeFileSync(damaged, bytes);
    const damagedErrors = decodeErrors(damaged);
    const freezes = detectFreezes(file, 1);
    // The control: the same file with frames 90–134 (1.5 s at 30 fps, 2.25 s at 20) frozen on purpose.
    const frozenOnPurpose = detectFreezes(file, 1, { first: 90, last: 134 });
    const frames = decodedVideoFrames(file);
    console.log(
      [
        `relay (5% each way, seed 20261129): ${relay.describe()}`,
        `Chrome outbound-rtp video: packetsSent ${video.packetsSent}, retransmittedPacketsSent ${video.retransmittedPacketsSent}, nackCount ${video.nackCount}, pliCount ${video.pliCount}, framesSent ${video.framesSent}; audio packetsSent ${audio.packetsSent}`,
        `Chrome video sender samples: ${JSON.stringify(samples)}`,
        `rtcwire inbound-rtp video (record end line): packetsReceived ${ours.packetsReceived}, packetsLost ${ours.packetsLost}, nackCount ${ours.nackCount}, retransmittedPacketsReceived ${ours.retransmittedPacketsReceived}, pliCount ${ours.pliCount}`,
        `rtcwire record end line: ${JSON.stringify(end)}`,
        `file: ${frames} video frames decoded, ${times.length} video packets over ${(times[0] ?? 0).toFixed(2)}–${(times[times.length - 1] ?? 0).toFixed(2)} s, largest gap ${gap.gapS.toFixed(3)} s at ${gap.atS.toFixed(2)} s`,
        `freezedetect ≥1 s: ${JSON.stringify(freezes)}; with 1.5 s frozen on purpose: ${JSON.stringify(frozenOnPurpose)}`,
        `ffmpeg decode errors: ${errors === '' ? 'none' : errors}; in the damaged copy: ${damagedErrors.split('\n')[0]}`,
      ].join('\n'),
    );

    // The relay really lost packets both ways, at about the rate asked.
    for (const d of ['aToB', 'bToA'] as const) {
      expect(relay.counters[d].dropped).toBeGreaterThan(0);
      expect(relay.counters[d].forwarded + relay.counters[d].dropped).toBe(relay.counters[d].received);
    }
    expect(relay.observedLoss('aToB')).toBeGreaterThan(0.03);
    expect(relay.observedLoss('aToB')).toBeLessThan(0.07);
    // We NACKed, Chrome received the NACKs and answered them, and the retransmissions reached us.
    expect(ours.nackCount ?? 0).toBeGreaterThan(0);
    expect(Number(video.nackCount ?? 0)).toBeGreaterThan(0);
    expect(Number(video.retransmittedPacketsSent ?? 0)).toBeGreaterThan(0);
    expect(ours.retransmittedPacketsReceived ?? 0).toBeGreaterThan(0);
    // The recording: decodes cleanly, video throughout, no freeze.
    expect(damagedErrors).not.toBe('');
    expect(errors).toBe('');
    expect(frames).toBeGreaterThan(((PUBLISH_MS / 1000) * 15) | 0); // the fake camera runs at up to 30 fps
    expect(times[0] ?? Number.POSITIVE_INFINITY).toBeLessThan(1);
    expect((times[times.length - 1] ?? 0) - (times[0] ?? 0)).toBeGreaterThan(PUBLISH_MS / 1000 - 2);
    expect(gap.gapS).toBeLessThanOrEqual(1);
    expect(frozenOnPurpose.length).toBeGreaterThan(0); // the picture moves enough for freezedetect to see a freeze
    expect(freezes).toEqual([]);
  }, 90_000);
});
