import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type FilePatch } from '@rtcwire/containers';
import { seededRandom } from '@rtcwire/common';
import { opusPacketSamples } from '@rtcwire/codecs';
import { MediaFixtures, decodeErrors, probe } from '@rtcwire/interop-ffmpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { Recorder, type RecorderOutput } from '../src/index.js';

const media = new MediaFixtures();
afterAll(() => media.cleanup());

/** Apply recorder outputs to an in-memory file, collecting the other events. */
class MemoryFile {
  private chunks: Uint8Array[] = [];
  private patches: FilePatch[] = [];
  events: RecorderOutput[] = [];
  drain(r: Recorder): void {
    for (let o = r.pollOutput(); o; o = r.pollOutput()) {
      if (o.type === 'append') this.chunks.push(o.bytes);
      else if (o.type === 'patch') this.patches.push(o.patch);
      else this.events.push(o);
    }
  }
  bytes(): Uint8Array {
    const file = Buffer.concat(this.chunks);
    for (const p of this.patches) file.set(p.bytes, p.offset);
    return file;
  }
}

type Timed = {
  track: string;
  now: number;
  timestamp: number;
  data: Uint8Array;
  keyframe: boolean;
  width?: number;
  height?: number;
};

/** VP8 at 30 fps (90 kHz) and Opus at 20 ms (48 kHz), arrival times matching capture, RTP starting near wrap. */
function avSchedule(seconds: number, audioDelayMs = 0): Timed[] {
  const video = media.ivfFrames('libvpx', seconds);
  const audio = media.opusPackets(seconds);
  const v0 = 0xffffffff - 90_000; // wraps after one second
  const a0 = 12345;
  let samples = 0;
  return [
    ...video.map((f, i) => ({
      track: 'v',
      now: 1000 + (i * 1000) / 30,
      timestamp: (v0 + i * 3000) >>> 0,
      data: f.data,
      keyframe: f.keyframe,
      width: 160,
      height: 120,
    })),
    ...audio.map((p) => {
      const t = {
        track: 'a',
        now: 1000 + audioDelayMs + samples / 48,
        timestamp: (a0 + samples) >>> 0,
        data: p,
        keyframe: true,
      };
      samples += opusPacketSamples(p);
      return t;
    }),
  ].sort((x, y) => x.now - y.now);
}

describe('Recorder', () => {
  it('records VP8 + Opus to WebM: every frame written, clean decode, right duration, across an RTP wrap', () => {
    const r = new Recorder({
      tracks: [
        { id: 'v', codec: 'VP8', clockRate: 90000 },
        { id: 'a', codec: 'OPUS', clockRate: 48000, channels: 2 },
      ],
      random: seededRandom(1),
    });
    expect(r.container).toBe('webm');
    const file = new MemoryFile();
    const frames = avSchedule(3);
    for (const f of frames) {
      r.handleFrame(f.now, f.track, f);
      file.drain(r);
    }
    r.finish();
    file.drain(r);
    const path = media.write('rec.webm', file.bytes());
    expect(decodeErrors(path)).toBe('');
    const info = probe(path);
    const c = r.counters();
    expect(c.v?.framesWritten).toBe(frames.filter((f) => f.track === 'v').length);
    expect(c.a?.framesWritten).toBe(frames.filter((f) => f.track === 'a').length);
    expect(Number(info.streams.find((s) => s.codec_type === 'video')?.nb_read_packets)).toBe(c.v?.framesWritten);
    expect(Number(info.streams.find((s) => s.codec_type === 'audio')?.nb_read_packets)).toBe(c.a?.framesWritten);
    expect(info.durationS).toBeGreaterThan(2.85);
    expect(info.durationS).toBeLessThan(3.15);
    // No sender reports in this stream: after the sync wait, tracks were placed by arrival time.
    expect(file.events).toEqual([{ type: 'synchronized', method: 'arrival', shiftsMs: {} }]);
  }, 60_000);

  it('waits for a keyframe, asks for one at most once per interval, and buffers audio meanwhile', () => {
    const r = new Recorder({
      tracks: [
        { id: 'v', codec: 'VP8', clockRate: 90000 },
        { id: 'a', codec: 'OPUS', clockRate: 48000 },
      ],
      random: seededRandom(2),
      syncWaitMs: 500, // no sender reports in this stream: start on arrival times after 500 ms
    });
    const file = new MemoryFile();
    const frames = avSchedule(2).filter((f) => !(f.track === 'v' && f.now < 1000 + 1000 && f.keyframe)); // lose the first keyframe
    let requests = 0;
    for (const f of frames) {
      r.handleFrame(f.now, f.track, f);
      file.drain(r);
      requests = file.events.filter((e) => e.type === 'keyframe-request').length;
    }
    // Video frames before the keyframe at 1 s are dropped; one request per 1000 ms while waiting.
    const c = r.counters();
    expect(c.v?.dropped.waitingForKeyframe).toBe(29);
    expect(requests).toBe(1);
    expect(r.started).toBe(true);
    expect(c.a?.framesWritten).toBeGreaterThan(49); // audio from the first second was buffered, not lost
    r.finish();
    file.drain(r);
    expect(decodeErrors(media.write('kf.webm', file.bytes()))).toBe('');
  }, 60_000);

  it('after a loss, drops video until the next keyframe and keeps asking via pollTimeout', () => {
    const r = new Recorder({
      tracks: [{ id: 'v', codec: 'VP8', clockRate: 90000 }],
      random: seededRandom(3),
      syncWaitMs: 0,
    });
    const file = new MemoryFile();
    const key = { timestamp: 0, data: new Uint8Array([0x10, 0, 0]), keyframe: true, width: 160, height: 120 };
    r.handleFrame(0, 'v', key);
    r.handleFrameLoss(40, 'v');
    file.drain(r);
    expect(file.events.filter((e) => e.type === 'keyframe-request')).toEqual([
      { type: 'keyframe-request', trackId: 'v' },
    ]);
    expect(r.pollTimeout()).toBe(1040);
    r.handleFrame(70, 'v', { timestamp: 6000, data: new Uint8Array([0x11, 0, 0]), keyframe: false });
    r.handleTimeout(1040);
    file.drain(r);
    expect(file.events.filter((e) => e.type === 'keyframe-request')).toHaveLength(2);
    r.handleFrame(1100, 'v', { ...key, timestamp: 99000 });
    expect(r.pollTimeout()).toBeUndefined();
    expect(r.counters().v).toMatchObject({
      framesReceived: 3,
      framesWritten: 2,
      framesLost: 1,
      dropped: { waitingForKeyframe: 1 },
    });
  });

  it('places audio and video on the sender clock from RTCP sender reports', () => {
    const r = new Recorder({
      tracks: [
        { id: 'v', codec: 'VP8', clockRate: 90000 },
        { id: 'a', codec: 'OPUS', clockRate: 48000 },
      ],
      random: seededRandom(4),
    });
    const file = new MemoryFile();
    // Audio arrives 60 ms later than video although both were captured together.
    const frames = avSchedule(2, 60);
    const ntpBase = 1_700_000_000_000;
    const v0 = frames.find((f) => f.track === 'v')!.timestamp;
    const a0 = frames.find((f) => f.track === 'a')!.timestamp;
    let reported = false;
    for (const f of frames) {
      r.handleFrame(f.now, f.track, f);
      if (f.now > 1300 && !reported) {
        reported = true;
        // Both reports name the same NTP instant, 500 ms after the first frames were captured.
        r.handleSenderReport(f.now, 'v', ntpBase + 500, (v0 + 45000) >>> 0);
        r.handleSenderReport(f.now, 'a', ntpBase + 500, (a0 + 24000) >>> 0);
      }
      file.drain(r);
    }
    expect(file.events).toEqual([{ type: 'synchronized', method: 'sender-report', shiftsMs: {} }]);
    r.finish();
    file.drain(r);
    const path = media.write('sync.webm', file.bytes());
    expect(decodeErrors(path)).toBe('');
    // Both streams start at 0: the 60 ms arrival skew did not leak into the file.
    const starts = probe(path).streams.map((s) => Number(s.start_time));
    for (const start of starts) expect(Math.abs(start)).toBeLessThan(0.002);
  }, 60_000);

  it('records H.264 to Matroska with avcC from in-band SPS/PPS', () => {
    const r = new Recorder({ tracks: [{ id: 'v', codec: 'H264', clockRate: 90000 }], random: seededRandom(5) });
    expect(r.container).toBe('mkv');
    const file = new MemoryFile();
    const units = media.h264AccessUnits(2);
    units.forEach((data, i) => {
      const keyframe = data.some(
        (_b, k) => k > 3 && data[k - 1] === 1 && data[k - 2] === 0 && ((data[k] as number) & 0x1f) === 5,
      );
      r.handleFrame((i * 1000) / 30, 'v', { timestamp: i * 3000, data, keyframe });
      file.drain(r);
    });
    r.finish();
    file.drain(r);
    const path = media.write('rec.mkv', file.bytes());
    expect(decodeErrors(path)).toBe('');
    const s = probe(path).streams[0];
    expect(s?.codec_name).toBe('h264');
    expect(Number(s?.width)).toBe(160);
    expect(Number(s?.nb_read_packets)).toBe(units.length);
  }, 60_000);

  it('records AV1 to WebM with an av1C CodecPrivate from the sequence header', () => {
    const r = new Recorder({
      tracks: [{ id: 'v', codec: 'AV1', clockRate: 90000 }],
      random: seededRandom(7),
      syncWaitMs: 0,
    });
    const file = new MemoryFile();
    const frames = media.ivfFrames('libaom-av1', 1);
    frames.forEach((f, i) => {
      r.handleFrame(i * 33, 'v', { timestamp: i * 3000, data: f.data, keyframe: f.keyframe, width: 160, height: 120 });
      file.drain(r);
    });
    r.finish();
    file.drain(r);
    const path = media.write('rec-av1.webm', file.bytes());
    expect(decodeErrors(path)).toBe('');
    const extradata = execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=extradata_size', '-of', 'csv=p=0', path],
      { encoding: 'utf8' },
    );
    // av1C: 4 bytes of configuration, then the sequence header OBU.
    expect(Number(extradata.trim())).toBeGreaterThan(4);
    expect(Number(probe(path).streams[0]?.nb_read_packets)).toBe(frames.length);
  }, 60_000);

  it('records Opus alone to Ogg', () => {
    const r = new Recorder({
      tracks: [{ id: 'a', codec: 'OPUS', clockRate: 48000, channels: 2 }],
      random: seededRandom(6),
    });
    expect(r.container).toBe('ogg');
    const file = new MemoryFile();
    for (const f of avSchedule(2).filter((x) => x.track === 'a')) {
      r.handleFrame(f.now, 'a', f);
      file.drain(r);
    }
    r.finish();
    file.drain(r);
    const path = media.write('rec.ogg', file.bytes());
    expect(decodeErrors(path)).toBe('');
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('OggS');
    expect(Number(probe(path).streams[0]?.nb_read_packets)).toBe(r.counters().a?.framesWritten);
  }, 60_000);
});
