/**
 * Recording throughput at the frame level, frames/s: complete depacketized frames in, WebM bytes
 * out. rtcwire: `Recorder.handleFrame` (RTP timestamp → media time on the sender's clock after an
 * RTCP SR per track, keyframe gating, buffering, `MatroskaWriter`) with every output drained by
 * `pollOutput`. werift: what its `MediaRecorder` (`WebmFactory`) runs after depacketization —
 * `LipsyncBase` (A/V ordering) feeding `WebmBase` (keyframe gating and muxing). werift converts
 * RTP to NTP ms per packet before depacketizing (`NtpTimeCallback`), so it is handed ms here, and its
 * `WebmCallback` wrapper only adds an async queue around the output. Each round records whole
 * recordings of VP8 (fixture frames, 30 fps) and Opus (20 ms) in arrival order. Prints JSON lines.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@rtcwire/common';
import { readIvf } from '@rtcwire/containers';
import { Recorder } from '@rtcwire/recorder';
import { LipsyncBase, WebmBase, type WebmOutput, type WebmTrack } from 'werift/nonstandard';
import { compare, report } from './lib/measure.js';

const RECORDING = 3000; // frames per recording: 1,800 video + 1,200 audio ≈ 36 s
const OPS = 5 * RECORDING;
const VIDEO_RTP_BASE = 0xfff0_0000; // wraps 2^32 a few seconds in
const AUDIO_RTP_BASE = 0x1234_5678;
const NTP_START_MS = 1_764_000_000_000;
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'codecs', 'test', 'fixtures');
let sink = 0;

interface MediaFrame {
  readonly video: boolean;
  readonly timeMs: number;
  readonly rtp: number;
  readonly data: Buffer;
  readonly keyframe: boolean;
}

function schedule(count: number): MediaFrame[] {
  const ivf = readIvf(readFileSync(join(fixtures, 'vp8.ivf')));
  // VP8 payload header (RFC 6386 §9.1): bit 0 of the first byte is 0 for a key frame.
  const video = ivf.frames.map((f) => ({ data: Buffer.from(f.data), keyframe: (f.data[0]! & 1) === 0 }));
  const audio = Array.from({ length: 16 }, () => {
    const p = randomBytes(100);
    p[0] = 0x78; // Opus TOC: config 15 (hybrid fullband 20 ms), mono, one frame
    return p;
  });
  const out: MediaFrame[] = [];
  for (let v = 0, a = 0; out.length < count; ) {
    const vt = Math.round((v * 1000) / 30);
    const at = a * 20;
    if (vt <= at) {
      const f = video[v % video.length]!;
      out.push({ video: true, timeMs: vt, rtp: (VIDEO_RTP_BASE + v * 3000) >>> 0, ...f });
      v++;
    } else {
      out.push({
        video: false,
        timeMs: at,
        rtp: (AUDIO_RTP_BASE + a * 960) >>> 0,
        data: audio[a % 16]!,
        keyframe: true,
      });
      a++;
    }
  }
  return out;
}

/** One rtcwire recording of `count` frames; returns [bytes appended, frames written]. */
function rtcwireRecording(frames: readonly MediaFrame[], count: number): [number, number] {
  const rec = new Recorder({
    random: seededRandom(1),
    tracks: [
      { id: 'video', codec: 'VP8', clockRate: 90000 },
      { id: 'audio', codec: 'OPUS', clockRate: 48000, channels: 2 },
    ],
  });
  rec.handleSenderReport(0, 'video', NTP_START_MS, VIDEO_RTP_BASE);
  rec.handleSenderReport(0, 'audio', NTP_START_MS, AUDIO_RTP_BASE);
  let bytes = 0;
  const drain = (): void => {
    for (let o = rec.pollOutput(); o; o = rec.pollOutput()) if (o.type === 'append') bytes += o.bytes.byteLength;
  };
  for (let i = 0; i < count; i++) {
    const f = frames[i]!;
    rec.handleFrame(f.timeMs, f.video ? 'video' : 'audio', {
      timestamp: f.rtp,
      data: f.data,
      keyframe: f.keyframe,
      width: 320,
      height: 240,
    });
    drain();
  }
  rec.finish();
  drain();
  const c = rec.counters();
  return [bytes, (c.video?.framesWritten ?? 0) + (c.audio?.framesWritten ?? 0)];
}

/** `start()` is protected in werift's typings; `WebmCallback.pipe` calls it, we call it directly. */
class WeriftWebm extends WebmBase {
  begin(): void {
    this.start();
  }
}

/** One werift recording of `count` frames; returns [bytes output, blocks written]. */
function weriftRecording(frames: readonly MediaFrame[], count: number): [number, number] {
  const tracks: WebmTrack[] = [
    { kind: 'video', codec: 'VP8', clockRate: 90000, trackNumber: 1, width: 320, height: 240 },
    { kind: 'audio', codec: 'OPUS', clockRate: 48000, trackNumber: 2 },
  ];
  let bytes = 0;
  let blocks = 0;
  const webm = new WeriftWebm(tracks, (o: WebmOutput) => {
    bytes += o.saveToFile?.length ?? 0;
    if (o.kind === 'block') blocks++;
  });
  webm.begin();
  const lipsync = new LipsyncBase(webm.processAudioInput, webm.processVideoInput);
  for (let i = 0; i < count; i++) {
    const f = frames[i]!;
    const input = { frame: { data: f.data, isKeyframe: f.keyframe, time: f.timeMs } };
    if (f.video) lipsync.processVideoInput(input);
    else lipsync.processAudioInput(input);
  }
  lipsync.processVideoInput({});
  lipsync.processAudioInput({});
  webm.stop();
  return [bytes, blocks];
}

function rounds(one: (frames: readonly MediaFrame[], count: number) => [number, number], frames: MediaFrame[]) {
  return (ops: number): void => {
    for (let done = 0; done < ops; done += frames.length) sink += one(frames, Math.min(frames.length, ops - done))[0];
  };
}

const frames = schedule(RECORDING);
const [ourBytes, ourFrames] = rtcwireRecording(frames, RECORDING);
const [theirBytes, theirBlocks] = weriftRecording(frames, RECORDING);
const r = compare(
  { rtcwire: { run: rounds(rtcwireRecording, frames) }, werift: { run: rounds(weriftRecording, frames) } },
  { ops: OPS },
);
// Frames in per second of CPU. The written counts differ: werift's lipsync drops what it still
// buffers at the end, rtcwire writes everything.
report('recorder-vp8-opus', 'frames/s', r, {
  framesPerRecording: RECORDING,
  framesWritten: { rtcwire: ourFrames, werift: theirBlocks },
  fileBytes: { rtcwire: ourBytes, werift: theirBytes },
});
if (sink === 0) console.error('sink is zero');
