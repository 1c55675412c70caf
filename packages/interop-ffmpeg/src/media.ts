import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oggPackets, readIvf, readOggPages } from '@rtcwire/containers';

/** Real encoded media for tests, made by Debian's ffmpeg into a temp dir (removed by `cleanup()`). */
export class MediaFixtures {
  readonly dir = mkdtempSync(join(tmpdir(), 'rtcwire-containers-'));

  ffmpeg(args: readonly string[]): void {
    execFileSync('ffmpeg', ['-nostdin', '-y', '-v', 'error', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** Video frames from an IVF encode (VP8, VP9 or AV1) of a 160x120 test pattern. */
  ivfFrames(codec: 'libvpx' | 'libvpx-vp9' | 'libaom-av1', seconds: number): { data: Uint8Array; keyframe: boolean }[] {
    const out = join(this.dir, `${codec}.ivf`);
    const speed =
      codec === 'libaom-av1' ? ['-cpu-used', '8', '-usage', 'realtime'] : ['-deadline', 'realtime', '-cpu-used', '8'];
    this.ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=160x120:rate=30`,
      '-t',
      String(seconds),
      '-c:v',
      codec,
      ...speed,
      '-g',
      '30',
      '-b:v',
      '200k',
      out,
    ]);
    return readIvf(readFileSync(out)).frames.map((f, i) => ({ data: f.data, keyframe: i % 30 === 0 }));
  }

  /** Opus packets (20 ms each) of a sine tone. */
  opusPackets(seconds: number): Uint8Array[] {
    const out = join(this.dir, 'tone.ogg');
    this.ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:duration=${seconds}`,
      '-c:a',
      'libopus',
      '-b:a',
      '48k',
      '-frame_duration',
      '20',
      out,
    ]);
    return oggPackets(readOggPages(readFileSync(out))).slice(2);
  }

  /** H.264 access units as Annex B byte strings (one per frame), baseline, 160x120. */
  h264AccessUnits(seconds: number): Uint8Array[] {
    const out = join(this.dir, 'v.h264');
    this.ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x120:rate=30',
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-profile:v',
      'baseline',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '30',
      '-bsf:v',
      'h264_mp4toannexb',
      '-f',
      'h264',
      out,
    ]);
    return splitAccessUnits(readFileSync(out));
  }

  write(name: string, data: Uint8Array): string {
    const p = join(this.dir, name);
    writeFileSync(p, data);
    return p;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `ffprobe` facts about a file: streams with their frame/packet counts, and the duration. */
export function probe(file: string): { streams: Record<string, string>[]; durationS: number } {
  const json = execFileSync(
    'ffprobe',
    ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(json) as { streams: Record<string, string>[]; format: { duration?: string } };
  return { streams: parsed.streams, durationS: Number(parsed.format.duration ?? Number.NaN) };
}

/**
 * Everything `ffmpeg -v error` prints while decoding the whole file, plus its exit status when not 0
 * (empty = decoded cleanly). ffmpeg exits 0 after decode errors, so stderr is what counts. Frames keep their
 * own timestamps (`-fps_mode passthrough -enc_time_base -1`): otherwise the null muxer re-times
 * variable-rate video onto a guessed frame rate and reports its own non-monotonic DTS as errors.
 */
export function decodeErrors(file: string): string {
  const r = spawnSync(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', file, '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  if (r.error) return String(r.error);
  return `${r.stderr}${r.status === 0 ? '' : `ffmpeg exited with ${r.status}`}`.trim();
}

/** Split an Annex B stream into NAL units. */
export function splitNalUnits(data: Uint8Array): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 3 <= data.byteLength; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  return starts.map((s, k) => {
    let end = k + 1 < starts.length ? (starts[k + 1] as number) - 3 : data.byteLength;
    while (end > s && data[end - 1] === 0) end--;
    return data.subarray(s, end);
  });
}

function splitAccessUnits(data: Uint8Array): Uint8Array[] {
  // One access unit per coded slice here (ffmpeg's baseline ultrafast writes one slice per frame).
  const units: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  for (const nal of splitNalUnits(data)) {
    const type = (nal[0] as number) & 0x1f;
    current.push(nal);
    if (type === 1 || type === 5) {
      units.push(current);
      current = [];
    }
  }
  return units.map((nals) => {
    const parts = nals.flatMap((n) => [new Uint8Array([0, 0, 0, 1]), n]);
    const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  });
}
