import { spawnSync } from 'node:child_process';

/**
 * ffmpeg/ffprobe checks of a recording's video: decode errors (everything ffmpeg prints at `-v error`,
 * whatever its exit status), packet timestamps, and frozen stretches found by the `freezedetect` filter.
 */
function run(command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Presentation times (s) of the first video stream's packets, in presentation order. */
export function videoPacketTimes(file: string): number[] {
  const r = run('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file],
  ]);
  if (r.status !== 0) throw new Error(`ffprobe failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'N/A')
    .map(Number)
    .sort((a, b) => a - b);
}

/** The largest gap between consecutive video packets, with where it starts. */
export function largestGap(times: readonly number[]): { gapS: number; atS: number } {
  let best = { gapS: 0, atS: times[0] ?? 0 };
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    if (gap > best.gapS) best = { gapS: gap, atS: times[i - 1] as number };
  }
  return best;
}

export interface Freeze {
  startS: number;
  durationS: number | undefined;
}

/**
 * Frozen stretches of at least `minS` seconds in the first video stream, per ffmpeg's `freezedetect`
 * (noise threshold `noiseDb`, default its own -60 dB). `freezeOnPurpose` first replaces frames
 * first..last by frame `first - 1` (ffmpeg's `freezeframes`), to check that the content moves enough for a
 * freeze to be detected at all.
 */
export function detectFreezes(
  file: string,
  minS: number,
  freezeOnPurpose?: { first: number; last: number },
  noiseDb = -60,
): Freeze[] {
  const detect = `freezedetect=n=${noiseDb}dB:d=${minS}`;
  const graph = freezeOnPurpose
    ? `[0:v:0]split[a][b];[a][b]freezeframes=first=${freezeOnPurpose.first}:last=${freezeOnPurpose.last}:replace=${freezeOnPurpose.first - 1},${detect}`
    : `[0:v:0]${detect}`;
  const r = run('ffmpeg', ['-nostdin', '-v', 'info', '-i', file, '-filter_complex', graph, '-f', 'null', '-']);
  if (r.status !== 0) throw new Error(`ffmpeg freezedetect failed: ${r.stderr.slice(-2000)}`);
  const freezes: Freeze[] = [];
  for (const line of r.stderr.split('\n')) {
    const start = /freeze_start: ([\d.]+)/.exec(line);
    if (start) freezes.push({ startS: Number(start[1]), durationS: undefined });
    const duration = /freeze_duration: ([\d.]+)/.exec(line);
    const last = freezes[freezes.length - 1];
    if (duration && last) last.durationS = Number(duration[1]);
  }
  return freezes;
}

/** Number of decoded video frames (ffprobe -count_frames). */
export function decodedVideoFrames(file: string): number {
  const r = run('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames'],
    ...['-of', 'csv=p=0', file],
  ]);
  if (r.status !== 0) throw new Error(`ffprobe failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}
