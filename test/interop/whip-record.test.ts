import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromeSession, type PeerOptions } from '@rtcwire/interop-chrome';
import { decodeErrors, probe } from '@rtcwire/interop-ffmpeg';
import { type RecordingSummary, WhipServer } from '@rtcwire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 6 acceptance: Chromium publishes over WHIP; the recording has every stream, decodes cleanly, lasts
// as long as the publish, and holds exactly the frames the recorder counted (≈ what Chrome sent).
describe('Chromium publishes over WHIP, rtcwire records', () => {
  let chrome: ChromeSession;
  let server: WhipServer;
  const dir = mkdtempSync(join(tmpdir(), 'rtcwire-rec-'));
  // Summaries by WHIP session id (the last path segment of the resource URL): publishers may run at once.
  const ended = new Map<string, RecordingSummary>();
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
    server = await WhipServer.start({
      port: 0,
      outDir: dir,
      addresses: ['127.0.0.1'],
      onSessionEnd: ({ id, summary }) => ended.set(id, summary),
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await chrome?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Publish for `seconds`, DELETE, and return the summary, the publish time and Chrome's sender stats. */
  async function publish(seconds: number, opts: PeerOptions) {
    const page = await chrome.createPeer({ direction: 'sendonly', ...opts });
    const resource = await page.whipPublish(`${server.url}/whip`);
    await page.waitForConnectionState('connected');
    const start = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    // Stop Chrome's senders and let the last packets land, so its counters are final and comparable.
    await page.stopSending();
    const publishS = (Date.now() - start) / 1000;
    await new Promise((r) => setTimeout(r, 300));
    const outbound = await page.statsOfType('outbound-rtp');
    const res = await fetch(new URL(resource, server.url), { method: 'DELETE' });
    expect(res.status).toBe(200);
    await page.close();
    const summary = ended.get(resource.split('/').pop() as string) as RecordingSummary;
    expect(summary).toBeDefined();
    return {
      summary,
      publishS,
      chromeFrames: Number(outbound.find((s) => s.kind === 'video')?.framesSent ?? 0),
      chromeAudio: Number(outbound.find((s) => s.kind === 'audio')?.packetsSent ?? 0),
    };
  }

  function checkFile(r: Awaited<ReturnType<typeof publish>>, codecs: string[]) {
    const info = probe(r.summary.file);
    console.log(
      `${r.summary.file.split('/').pop()}: ${info.durationS.toFixed(2)} s for ${r.publishS.toFixed(2)} s published;`,
      JSON.stringify(r.summary.tracks),
    );
    expect(decodeErrors(r.summary.file)).toBe('');
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual([...codecs].sort());
    expect(Math.abs(info.durationS - r.publishS) / r.publishS).toBeLessThan(0.05);
    for (const t of Object.values(r.summary.tracks)) {
      const stream = info.streams.find((s) => s.codec_type === t.kind);
      // A frame the network lost (an incomplete frame reported by the depacketizer) is not the recorder's to
      // write. On this 2-core machine under load, loopback occasionally drops a packet; NACK/RTX (issue 7, not yet
      // wired into the peer) will repair video. The recorder itself must lose nothing it received (next lines).
      expect(t.framesLost).toBeLessThanOrEqual(Math.ceil(t.framesReceived * 0.01));
      expect(Number(stream?.nb_read_packets)).toBe(t.framesWritten);
      expect(t.framesWritten).toBe(t.framesReceived - t.dropped.waitingForKeyframe);
      const sent = t.kind === 'video' ? r.chromeFrames : r.chromeAudio;
      if (sent > 0) expect(Math.abs(t.framesWritten - sent) / sent).toBeLessThan(0.05);
    }
    return info;
  }

  it('VP8 + Opus → .webm', async () => {
    const r = await publish(10, { video: true, audio: true, videoCodec: 'video/VP8' });
    expect(r.summary.container).toBe('webm');
    checkFile(r, ['vp8', 'opus']);
  }, 60_000);

  it('H.264 + Opus → .mkv', async () => {
    const r = await publish(5, { video: true, audio: true, videoCodec: 'video/H264' });
    expect(r.summary.container).toBe('mkv');
    checkFile(r, ['h264', 'opus']);
  }, 60_000);

  it.each([
    ['VP9', 'vp9'],
    ['AV1', 'av1'],
  ])(
    '%s + Opus → .webm',
    async (codec, ffName) => {
      const r = await publish(5, { video: true, audio: true, videoCodec: `video/${codec}` });
      expect(r.summary.container).toBe('webm');
      checkFile(r, [ffName, 'opus']);
    },
    60_000,
  );

  it('audio only → .ogg', async () => {
    const r = await publish(5, { audio: true });
    expect(r.summary.container).toBe('ogg');
    checkFile(r, ['opus']);
  }, 60_000);

  it('two publishers at once record to two files', async () => {
    const [a, b] = await Promise.all([publish(5, { video: true, audio: true }), publish(5, { audio: true })]);
    expect(a.summary.file).not.toBe(b.summary.file);
    checkFile(a, ['vp8', 'opus']);
    checkFile(b, ['opus']);
  }, 60_000);
});
