/**
 * Muxer throughput, frames/s: rtcwire's `MatroskaWriter` vs werift's `WebmBase` (the frames-in,
 * bytes-out core under werift's `WebmCallback`/`MediaRecorder`: cluster and cue bookkeeping plus
 * `WEBMContainer` element building). Each round writes one whole recording: start, `ops` frames
 * (VP8 video at 30 fps interleaved with 20 ms Opus packets, in time order), finish, so header,
 * cluster, Cues and finish costs are amortised over the frames. Every output chunk's length goes
 * into a sink so nothing is optimised away. Also rtcwire's `OggOpusWriter` (werift has an Ogg
 * parser but no Ogg writer: `werift` is null). Prints one JSON line per measurement.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatroskaWriter, OggOpusWriter, opusHead, readIvf } from '@rtcwire/containers';
import { WebmBase, type WebmOutput, type WebmTrack } from 'werift/nonstandard';
import { compare, report } from './lib/measure.js';

const RECORDING = 3000; // frames per recording: 1,800 video + 1,200 audio ≈ 36 s of media
const OPS = 5 * RECORDING; // frames per round (a round must last long enough for the CPU clock)
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'codecs', 'test', 'fixtures');
let sink = 0;

interface MediaFrame {
  readonly video: boolean;
  readonly timeMs: number;
  readonly data: Buffer;
  readonly keyframe: boolean;
}

/** Opus packets: TOC 0x78 (config 15, hybrid fullband 20 ms, mono, one frame) + 99 bytes. */
function opusPacket(): Buffer {
  const p = randomBytes(100);
  p[0] = 0x78;
  return p;
}

/**
 * A recording of `count` frames in presentation order: video frames cycle through `videoFrames`
 * (with their keyframe flags) every 1000/30 ms, Opus packets every 20 ms.
 */
function schedule(count: number, videoFrames: readonly { data: Buffer; keyframe: boolean }[]): MediaFrame[] {
  const audio = Array.from({ length: 16 }, opusPacket);
  const out: MediaFrame[] = [];
  let v = 0;
  let a = 0;
  while (out.length < count) {
    const vt = Math.round((v * 1000) / 30);
    const at = a * 20;
    if (vt <= at) {
      const f = videoFrames[v % videoFrames.length]!;
      out.push({ video: true, timeMs: vt, data: f.data, keyframe: f.keyframe });
      v++;
    } else {
      out.push({ video: false, timeMs: at, data: audio[a % audio.length]!, keyframe: true });
      a++;
    }
  }
  return out;
}

/** Writes `ops` frames as back-to-back recordings of `frames.length` frames; returns bytes written. */
function rtcwireWebm(frames: readonly MediaFrame[]): (ops: number) => number {
  return (ops) => {
    let bytes = 0;
    for (let done = 0; done < ops; done += frames.length)
      bytes += rtcwireRecording(frames, Math.min(frames.length, ops - done));
    sink += bytes;
    return bytes;
  };
}

function rtcwireRecording(frames: readonly MediaFrame[], count: number): number {
  let bytes = 0;
  {
    const w = new MatroskaWriter({
      tracks: [
        { number: 1, codec: 'VP8', width: 320, height: 240 },
        { number: 2, codec: 'OPUS', channels: 2, codecPrivate: opusHead({ channels: 2 }) },
      ],
    });
    bytes += w.start().byteLength;
    for (let i = 0; i < count; i++) {
      const f = frames[i]!;
      bytes += w.addFrame({
        track: f.video ? 1 : 2,
        timestampMs: f.timeMs,
        data: f.data,
        keyframe: f.keyframe,
      }).byteLength;
    }
    bytes += w.finish().append.byteLength;
  }
  return bytes;
}

/** `start()` is protected in werift's typings; `WebmCallback.pipe` calls it, we call it directly. */
class WeriftWebm extends WebmBase {
  begin(): void {
    this.start();
  }
}

function weriftWebm(frames: readonly MediaFrame[]): (ops: number) => number {
  return (ops) => {
    let bytes = 0;
    for (let done = 0; done < ops; done += frames.length)
      bytes += weriftRecording(frames, Math.min(frames.length, ops - done));
    sink += bytes;
    return bytes;
  };
}

function weriftRecording(frames: readonly MediaFrame[], count: number): number {
  const tracks: WebmTrack[] = [
    { kind: 'video', codec: 'VP8', clockRate: 90000, trackNumber: 1, width: 320, height: 240 },
    { kind: 'audio', codec: 'OPUS', clockRate: 48000, trackNumber: 2 },
  ];
  let bytes = 0;
  const output = (o: WebmOutput): void => {
    bytes += o.saveToFile?.length ?? 0;
  };
  {
    const w = new WeriftWebm(tracks, output);
    w.begin();
    for (let i = 0; i < count; i++) {
      const f = frames[i]!;
      const input = { frame: { data: f.data, isKeyframe: f.keyframe, time: f.timeMs } };
      if (f.video) w.processVideoInput(input);
      else w.processAudioInput(input);
    }
    w.stop();
  }
  return bytes;
}

function benchWebm(name: string, videoFrames: readonly { data: Buffer; keyframe: boolean }[]): void {
  const frames = schedule(RECORDING, videoFrames);
  const sizes = videoFrames.map((f) => f.data.length);
  const rtcwire = rtcwireWebm(frames);
  const werift = weriftWebm(frames);
  // Both must write the whole recording: file sizes within a few % (element layouts differ).
  const [ours, theirs] = [rtcwire(RECORDING), werift(RECORDING)];
  if (Math.abs(ours - theirs) > 0.05 * theirs) throw new Error(`file sizes differ: rtcwire ${ours}, werift ${theirs}`);
  const r = compare({ rtcwire: { run: rtcwire }, werift: { run: werift } }, { ops: OPS });
  report(name, 'frames/s', r, {
    videoFrameBytes: { min: Math.min(...sizes), max: Math.max(...sizes) },
    framesPerRecording: RECORDING,
    fileBytes: { rtcwire: ours, werift: theirs },
  });
}

function benchOgg(): void {
  const packets = Array.from({ length: 64 }, opusPacket);
  const run = (ops: number): void => {
    const w = new OggOpusWriter({ serial: 0x5eed, channels: 2 });
    sink += w.start().byteLength;
    for (let i = 0; i < ops; i++) sink += w.addPacket(packets[i & 63]!, i * 960).byteLength; // one long file
    sink += w.finish().byteLength;
  };
  const r = compare({ rtcwire: { run }, werift: null }, { ops: OPS });
  report('ogg-opus-mux', 'packets/s', r, { packetBytes: 100, packetsPerFile: OPS });
}

const ivf = readIvf(readFileSync(join(fixtures, 'vp8.ivf')));
// VP8 payload header (RFC 6386 §9.1): bit 0 of the first byte is 0 for a key frame.
const fixtureFrames = ivf.frames.map((f) => ({ data: Buffer.from(f.data), keyframe: (f.data[0]! & 1) === 0 }));
benchWebm('webm-mux-vp8-opus', fixtureFrames);
// Larger frames (a 720p-ish stream): the fixture's keyframe pattern, 8–20 KB of opaque payload.
const largeFrames = fixtureFrames.map((f, i) => ({
  data: randomBytes(8000 + ((i * 797) % 12000)),
  keyframe: f.keyframe,
}));
benchWebm('webm-mux-vp8-opus-large', largeFrames);
benchOgg();
if (sink === 0) console.error('sink is zero');
