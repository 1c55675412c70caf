import { opusPacketSamples } from '@rtcwire/codecs';
import { afterAll, describe, expect, it } from 'vitest';
import { type FilePatch, MatroskaWriter, encodeElement, opusHead, vint, voidElement } from '../src/index.js';
import { MediaFixtures, decodeErrors, probe, splitNalUnits } from '@rtcwire/interop-ffmpeg';

const media = new MediaFixtures();
afterAll(() => media.cleanup());

function assemble(parts: Uint8Array[], patches: FilePatch[] = []): Uint8Array {
  const file = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    file.set(p, at);
    at += p.byteLength;
  }
  for (const p of patches) file.set(p.bytes, p.offset);
  return file;
}

/** Interleave video frames (30 fps) and Opus packets (20 ms) by time and write them all. */
function writeAv(
  writer: MatroskaWriter,
  video: { data: Uint8Array; keyframe: boolean }[],
  audio: Uint8Array[],
): { parts: Uint8Array[]; clusterEnds: number[] } {
  const frames = [
    ...video.map((v, i) => ({ track: 1, timestampMs: (i * 1000) / 30, data: v.data, keyframe: v.keyframe })),
    ...audio.map((a, i) => ({ track: 2, timestampMs: i * 20, data: a, keyframe: true })),
  ].sort((a, b) => a.timestampMs - b.timestampMs);
  const parts = [writer.start()];
  const clusterEnds: number[] = [];
  for (const f of frames) {
    const out = writer.addFrame(f);
    if (out.byteLength > 0) {
      parts.push(out);
      clusterEnds.push(writer.bytesWritten);
    }
  }
  return { parts, clusterEnds };
}

describe('EBML primitives', () => {
  it('encodes vints (RFC 8794 §4) and exact-size Void elements', () => {
    expect(Array.from(vint(0))).toEqual([0x80]);
    expect(Array.from(vint(126))).toEqual([0xfe]);
    expect(Array.from(vint(127))).toEqual([0x40, 0x7f]); // all-ones 1-byte value is reserved
    expect(Array.from(vint(300, 8))).toEqual([0x01, 0, 0, 0, 0, 0, 0x01, 0x2c]);
    for (const n of [2, 3, 11, 96, 200, 20000]) expect(voidElement(n).byteLength).toBe(n);
    expect(() => vint(200, 1)).toThrow(RangeError);
  });

  it('encodes an element with its ID marker bits and size', () => {
    expect(Array.from(encodeElement({ id: 0x4286, uint: 1 }))).toEqual([0x42, 0x86, 0x81, 0x01]);
    expect(Array.from(encodeElement({ id: 0x4282, string: 'webm' }))).toEqual([
      0x42, 0x82, 0x84, 0x77, 0x65, 0x62, 0x6d,
    ]);
  });

  it('refuses H.264 in WebM and unknown tracks', () => {
    expect(() => new MatroskaWriter({ tracks: [{ number: 1, codec: 'H264' }], docType: 'webm' })).toThrow(/WebM/);
    const w = new MatroskaWriter({ tracks: [{ number: 1, codec: 'VP8' }] });
    w.start();
    expect(() => w.addFrame({ track: 2, timestampMs: 0, data: new Uint8Array(1), keyframe: true })).toThrow(
      /unknown track/,
    );
  });
});

describe('MatroskaWriter with ffprobe/ffmpeg as the independent reader', () => {
  const seconds = 3;
  const opus = media.opusPackets(seconds);

  it.each([
    ['VP8', 'libvpx', 'vp8'],
    ['VP9', 'libvpx-vp9', 'vp9'],
    ['AV1', 'libaom-av1', 'av1'],
  ] as const)(
    'writes %s + Opus WebM that decodes cleanly with every frame',
    (codec, encoder, ffName) => {
      const video = media.ivfFrames(encoder, seconds);
      const writer = new MatroskaWriter({
        tracks: [
          { number: 1, codec, width: 160, height: 120 },
          { number: 2, codec: 'OPUS', channels: 1, codecPrivate: opusHead({ channels: 1 }) },
        ],
      });
      expect(writer.docType).toBe('webm');
      const { parts } = writeAv(writer, video, opus);
      const end = writer.finish();
      parts.push(end.append);
      const file = media.write(`av-${codec}.webm`, assemble(parts, end.patches));

      expect(decodeErrors(file)).toBe('');
      const info = probe(file);
      const v = info.streams.find((s) => s.codec_type === 'video');
      const a = info.streams.find((s) => s.codec_type === 'audio');
      expect(v?.codec_name).toBe(ffName);
      expect(Number(v?.nb_read_packets)).toBe(video.length);
      expect(a?.codec_name).toBe('opus');
      expect(Number(a?.nb_read_packets)).toBe(opus.length);
      const expectedS = Math.max(video.length / 30, opus.reduce((n, p) => n + opusPacketSamples(p), 0) / 48000);
      expect(info.durationS).toBeGreaterThan(expectedS * 0.95);
      expect(info.durationS).toBeLessThan(expectedS * 1.05);
    },
    60_000,
  );

  it('writes H.264 + Opus as Matroska (.mkv) with avcC', () => {
    const units = media.h264AccessUnits(seconds);
    const nals = units.map(splitNalUnits);
    const sps = nals.flat().find((n) => ((n[0] as number) & 0x1f) === 7)!;
    const pps = nals.flat().find((n) => ((n[0] as number) & 0x1f) === 8)!;
    // ISO/IEC 14496-15 avcC: version, profile, compat, level, lengthSizeMinusOne=3, 1 SPS, 1 PPS.
    const avcC = new Uint8Array([
      1,
      sps[1]!,
      sps[2]!,
      sps[3]!,
      0xff,
      0xe1,
      sps.length >> 8,
      sps.length & 0xff,
      ...sps,
      1,
      pps.length >> 8,
      pps.length & 0xff,
      ...pps,
    ]);
    const frames = nals.map((list) => {
      const slices = list.filter((n) => ((n[0] as number) & 0x1f) !== 7 && ((n[0] as number) & 0x1f) !== 8);
      const out: number[] = [];
      for (const n of slices)
        out.push(n.length >>> 24, (n.length >> 16) & 0xff, (n.length >> 8) & 0xff, n.length & 0xff, ...n);
      return { data: new Uint8Array(out), keyframe: list.some((n) => ((n[0] as number) & 0x1f) === 5) };
    });
    const writer = new MatroskaWriter({
      tracks: [
        { number: 1, codec: 'H264', width: 160, height: 120, codecPrivate: avcC },
        { number: 2, codec: 'OPUS', channels: 1, codecPrivate: opusHead({ channels: 1 }) },
      ],
    });
    expect(writer.docType).toBe('matroska');
    const { parts } = writeAv(writer, frames, opus);
    const end = writer.finish();
    parts.push(end.append);
    const file = media.write('av.mkv', assemble(parts, end.patches));
    expect(decodeErrors(file)).toBe('');
    const info = probe(file);
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['h264', 'opus']);
    expect(Number(info.streams.find((s) => s.codec_name === 'h264')?.nb_read_packets)).toBe(frames.length);
  }, 60_000);

  it('leaves a readable file when cut after any emitted cluster (no finish, as after SIGKILL)', () => {
    const video = media.ivfFrames('libvpx', seconds);
    const writer = new MatroskaWriter({
      tracks: [
        { number: 1, codec: 'VP8', width: 160, height: 120 },
        { number: 2, codec: 'OPUS', channels: 1, codecPrivate: opusHead({ channels: 1 }) },
      ],
    });
    const { parts, clusterEnds } = writeAv(writer, video, opus);
    expect(clusterEnds.length).toBeGreaterThanOrEqual(2);
    const whole = assemble(parts);
    for (const [i, end] of clusterEnds.entries()) {
      const file = media.write(`cut-${i}.webm`, whole.subarray(0, end));
      expect(decodeErrors(file)).toBe('');
      const info = probe(file);
      expect(info.streams).toHaveLength(2);
      expect(Number(info.streams.find((s) => s.codec_type === 'video')?.nb_read_packets)).toBeGreaterThan(0);
    }
  }, 60_000);
});
