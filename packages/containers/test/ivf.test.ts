import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIvfFileHeader, encodeIvfFrame, IvfWriter, readIvf, writeIvf } from '../src/ivf.js';

const dir = mkdtempSync(join(tmpdir(), 'rtcwire-ivf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ffmpegIvf(codec: string, name: string): Uint8Array {
  const out = join(dir, name);
  execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x120:rate=30',
      '-frames:v',
      '8',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '4',
    ]
      .concat(
        codec === 'libaom-av1'
          ? ['-c:v', codec, '-cpu-used', '8', '-usage', 'realtime']
          : ['-c:v', codec, '-deadline', 'realtime'],
      )
      .concat(['-f', 'ivf', out]),
    { timeout: 60_000 },
  );
  return new Uint8Array(readFileSync(out));
}

function ffprobeFrames(file: string): { codec: string; width: number; height: number; frames: number } {
  const json = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file], {
    timeout: 30_000,
    encoding: 'utf8',
  });
  const s = JSON.parse(json).streams[0];
  return { codec: s.codec_name, width: s.width, height: s.height, frames: Number(s.nb_read_frames) };
}

describe('IVF', () => {
  it('encodes the golden 32-byte file header and 12-byte frame header', () => {
    const header = encodeIvfFileHeader({
      fourcc: 'VP80',
      width: 320,
      height: 240,
      timebaseDenominator: 30,
      timebaseNumerator: 1,
      frameCount: 15,
    });
    expect([...header]).toEqual([
      0x44, 0x4b, 0x49, 0x46, 0, 0, 32, 0, 0x56, 0x50, 0x38, 0x30, 0x40, 0x01, 0xf0, 0, 30, 0, 0, 0, 1, 0, 0, 0, 15, 0,
      0, 0, 0, 0, 0, 0,
    ]);
    const frame = encodeIvfFrame({ data: Uint8Array.of(9, 8, 7), timestamp: 2 ** 32 + 5 });
    expect([...frame]).toEqual([3, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 9, 8, 7]);
    expect(() =>
      encodeIvfFileHeader({
        fourcc: 'VP8',
        width: 1,
        height: 1,
        timebaseDenominator: 1,
        timebaseNumerator: 1,
        frameCount: 0,
      }),
    ).toThrow();
  });

  for (const [codec, fourcc] of [
    ['libvpx', 'VP80'],
    ['libvpx-vp9', 'VP90'],
    ['libaom-av1', 'AV01'],
  ] as const) {
    it(`rewrites ffmpeg's ${fourcc} file byte-identical and ffprobe reads ours`, () => {
      const original = ffmpegIvf(codec, `${fourcc}.ivf`);
      const { header, frames } = readIvf(original);
      expect(header).toMatchObject({ fourcc, width: 160, height: 120, timebaseDenominator: 30, timebaseNumerator: 1 });
      expect(frames).toHaveLength(8);
      const writer = new IvfWriter({ fourcc, width: 160, height: 120, timebaseDenominator: 30, timebaseNumerator: 1 });
      const parts = frames.map((f) => writer.frame(f.data, f.timestamp));
      const streamed = Buffer.concat([writer.finalHeader(), ...parts]);
      const whole = writeIvf(header, frames);
      expect(new Uint8Array(streamed)).toEqual(whole);
      expect(whole).toEqual(original);
      const ours = join(dir, `ours-${fourcc}.ivf`);
      writeFileSync(ours, whole);
      expect(ffprobeFrames(ours)).toEqual({
        codec: { VP80: 'vp8', VP90: 'vp9', AV01: 'av1' }[fourcc],
        width: 160,
        height: 120,
        frames: 8,
      });
      expect(
        execFileSync('ffmpeg', ['-v', 'error', '-i', ours, '-f', 'null', '-'], { encoding: 'utf8', stdio: 'pipe' }),
      ).toBe('');
    });
  }

  it('round-trips frames (property) and rejects malformed files with ParseError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ timestamp: fc.nat({ max: 2 ** 40 }), data: fc.uint8Array({ maxLength: 20 }) }), {
          maxLength: 5,
        }),
        (frames) => {
          const file = writeIvf(
            { fourcc: 'AV01', width: 2, height: 3, timebaseDenominator: 90000, timebaseNumerator: 1 },
            frames,
          );
          const back = readIvf(file);
          expect(back.frames).toEqual(frames);
          expect(back.header.frameCount).toBe(frames.length);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          readIvf(b);
        } catch (err) {
          expect(isParseError(err)).toBe(true);
        }
      }),
    );
  });
});
