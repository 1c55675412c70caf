import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromeSession } from '@rtcwire/interop-chrome';
import { decodeErrors } from '@rtcwire/interop-ffmpeg';
import { type RecordingSummary, WhipServer } from '@rtcwire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Issue 6 acceptance: audio/video sync of a recording is within 80 ms.
 *
 * Method. Chromium publishes the `sync-markers` source over WHIP: a black canvas that turns white for
 * 100 ms and silent audio that carries a 100 ms 1 kHz tone, both starting at the same instant every
 * 1000 ms (the tone scheduled on the AudioContext clock, the flash drawn from that clock mapped onto
 * performance.now(); see packages/interop-chrome/src/page-script.ts). The recorder writes a .webm, which we
 * analyse with ffmpeg only, from the file's own timestamps:
 *  - video: decode, `signalstats` YAVG per frame (black ≈ 16, white ≈ 235); a flash onset is the pts of
 *    the first frame above 125 after a frame below it;
 *  - audio: decode, gaps filled with silence (`aresample=async=1`), cut into 1 ms chunks (48 samples),
 *    `astats` peak level per chunk; a tone onset is the first chunk above -20 dBFS after ≥ 300 ms of
 *    quieter chunks (the tone is at -6 dBFS, Opus-coded silence far below -40).
 * Each flash is paired with the nearest tone onset within 400 ms; offset = audio − video. The test asserts
 * the median |offset| ≤ 80 ms over at least 5 pairs, and prints every pair.
 *
 * Error budget of the measurement itself (not of the recorder): the flash reaches the video track up to
 * one captured frame late (captureStream(30): 0–33 ms, so video looks late by ~17 ms on average, i.e.
 * audio − video ≈ −17 ms with a perfect recorder), plus ≤ 4 ms of draw-loop granularity and up to one
 * render burst (10–70 ms blocks seen on this loaded machine; the page takes the earliest block of the last
 * second, so typically ≤ 10 ms) of error in mapping the AudioContext clock onto performance.now(); audio onset
 * resolution is 1 ms (Opus pre-echo can move it ≈ 2–3 ms earlier) and the Opus codec delay (6.5 ms) may
 * or may not be removed from the audio timestamps by the demuxer; video timestamps are whole ms in
 * Matroska. Chrome's own capture-to-RTP timestamp paths (WebAudio render-ahead, canvas capture) add an
 * unknown constant. Since 1000 ms is exactly 30 frames, the flash lands at the same capture phase all
 * through a run, so the offset is nearly constant within a run (±1 frame) and varies between runs; six
 * runs here gave medians between −21 and +13 ms. In all ≈ ±50 ms worst case; 80 ms leaves room and fails a
 * recorder that places tracks by arrival time: with RTCWIRE_AVSYNC_SYNC_WAIT_MS=0 the first pairs, before
 * the sender reports move the audio, came out at −216 and −168 ms in two runs (Chrome's first video frame takes ~200 ms longer
 * from capture to us than its first audio frame). The first test checks the analysis itself on a file
 * ffmpeg made with a known +120 ms audio offset.
 *
 * RTCWIRE_AVSYNC_SYNC_WAIT_MS=0 runs the same publish with the recorder forced to start on arrival times
 * (later sender reports still move tracks forward once): it prints the pairs and checks only that the
 * markers were found, since that alignment is the fallback, not what issue 6 promises.
 */
const forcedSyncWait = process.env.RTCWIRE_AVSYNC_SYNC_WAIT_MS;
const PUBLISH_MS = 8000;

function ffmpegLines(args: string[]): string[] {
  const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', ...args, '-f', 'null', '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return r.stdout.split('\n');
}

/** (pts ms, value) per frame from ffmpeg's `metadata=print`/`ametadata=print` lines. */
function framesWithValue(lines: string[], key: string): { ms: number; value: number }[] {
  const out: { ms: number; value: number }[] = [];
  let pts: number | undefined;
  for (const line of lines) {
    const frame = /pts_time:(-?[\d.]+)/.exec(line);
    if (frame) pts = Number(frame[1]) * 1000;
    else if (line.startsWith(`${key}=`) && pts !== undefined) {
      const v = line.slice(key.length + 1);
      out.push({ ms: pts, value: v === '-inf' ? Number.NEGATIVE_INFINITY : Number(v) });
    }
  }
  return out;
}

function videoFlashOnsets(file: string): number[] {
  const key = 'lavfi.signalstats.YAVG';
  const frames = framesWithValue(
    ffmpegLines(['-i', file, '-map', '0:v:0', '-vf', `signalstats,metadata=print:key=${key}:file=-`]),
    key,
  );
  expect(frames.length).toBeGreaterThan(30);
  const onsets: number[] = [];
  frames.forEach((f, i) => {
    if (i > 0 && f.value > 125 && (frames[i - 1]?.value ?? 0) <= 125) onsets.push(f.ms);
  });
  return onsets;
}

function audioToneOnsets(file: string): number[] {
  const key = 'lavfi.astats.Overall.Peak_level';
  const filter = `aresample=async=1,asetnsamples=n=48:p=0,astats=metadata=1:reset=1,ametadata=print:key=${key}:file=-`;
  const chunks = framesWithValue(ffmpegLines(['-i', file, '-map', '0:a:0', '-af', filter]), key);
  expect(chunks.length).toBeGreaterThan(1000);
  const onsets: number[] = [];
  let lastLoudMs = Number.NEGATIVE_INFINITY;
  for (const c of chunks) {
    if (c.value <= -20) continue;
    if (c.ms - lastLoudMs >= 300) onsets.push(c.ms);
    lastLoudMs = c.ms;
  }
  return onsets;
}

/** Pair every flash with the nearest tone onset within 400 ms; offset = audio − video. */
function markerPairs(file: string): { videoMs: number; audioMs: number; offsetMs: number }[] {
  const audio = audioToneOnsets(file);
  const pairs: { videoMs: number; audioMs: number; offsetMs: number }[] = [];
  for (const v of videoFlashOnsets(file)) {
    const a = audio.reduce<number | undefined>(
      (best, x) => (best === undefined || Math.abs(x - v) < Math.abs(best - v) ? x : best),
      undefined,
    );
    if (a !== undefined && Math.abs(a - v) < 400) pairs.push({ videoMs: v, audioMs: a, offsetMs: a - v });
  }
  return pairs;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

describe('recording A/V sync (issue 6)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtcwire-avsync-'));
  it('the analysis measures a known +120 ms offset in a file ffmpeg made (so it can fail)', () => {
    const file = join(dir, 'known-offset.webm');
    const gen = spawnSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=black:s=160x120:r=30:d=4'],
      ...['-f', 'lavfi', '-i', "aevalsrc=exprs='0.5*sin(2*PI*1000*t)*lt(mod(t-0.12,1),0.1)*gte(t,0.12)':s=48000:d=4"],
      ...['-vf', "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(t,1),0.1)'"],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '300k', '-c:a', 'libopus', file],
    ]);
    expect(gen.status, String(gen.stderr)).toBe(0);
    const pairs = markerPairs(file);
    console.log(`known +120 ms file: offsets ${pairs.map((p) => p.offsetMs.toFixed(1)).join(', ')} ms`);
    expect(pairs.length).toBe(3); // flashes at 1-3 s (the one at 0 s has no dark frame before it)
    // ±10 ms: ffmpeg's own muxer moves the video by the Opus codec delay (7 ms) here, see the budget above.
    for (const p of pairs) expect(Math.abs(p.offsetMs - 120), JSON.stringify(pairs)).toBeLessThanOrEqual(10);
  }, 30_000);

  let chrome: ChromeSession;
  let server: WhipServer;
  const ended: RecordingSummary[] = [];
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
    server = await WhipServer.start({
      port: 0,
      outDir: dir,
      addresses: ['127.0.0.1'],
      ...(forcedSyncWait !== undefined ? { syncWaitMs: Number(forcedSyncWait) } : {}),
      onSessionEnd: ({ summary }) => ended.push(summary),
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await chrome?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flash and tone markers line up within 80 ms (median) in the recorded .webm', async () => {
    const page = await chrome.createPeer({
      direction: 'sendonly',
      video: true,
      audio: true,
      source: 'sync-markers',
      videoCodec: 'video/VP8',
    });
    const resource = await page.whipPublish(`${server.url}/whip`);
    await page.waitForConnectionState('connected');
    await new Promise((r) => setTimeout(r, PUBLISH_MS));
    const res = await fetch(new URL(resource, server.url), { method: 'DELETE' });
    expect(res.status).toBe(200);
    await page.close();
    const summary = ended[0] as RecordingSummary;
    expect(summary.container).toBe('webm');
    expect(decodeErrors(summary.file)).toBe('');

    const pairs = markerPairs(summary.file);
    const med = median(pairs.map((p) => Math.abs(p.offsetMs)));
    console.log(
      [
        `tracks ${Object.entries(summary.tracks).map(([mid, t]) => `${mid}=${t.kind}`)}; sync ${JSON.stringify(summary.sync)} (syncWaitMs ${forcedSyncWait ?? 'default'})`,
        `${pairs.length} flash/tone pairs (audio − video):`,
        ...pairs.map(
          (p) =>
            `  video ${p.videoMs.toFixed(1)} ms  audio ${p.audioMs.toFixed(1)} ms  offset ${p.offsetMs.toFixed(1)} ms`,
        ),
        `median offset ${median(pairs.map((p) => p.offsetMs)).toFixed(1)} ms, median |offset| ${med.toFixed(1)} ms`,
      ].join('\n'),
    );
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    if (forcedSyncWait === undefined) {
      expect(summary.sync[0]?.method).toBe('sender-report');
      expect(med).toBeLessThanOrEqual(80);
    }
  }, 60_000);
});
