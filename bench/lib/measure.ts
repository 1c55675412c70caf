/**
 * Tiny measuring helper: warm-up rounds, then N measured rounds that interleave the contenders
 * (alternating which goes first), reporting the median ops/s of each.
 *
 * Rounds are timed in process CPU time (user + system, all threads, so GC work counts) by default:
 * on a shared machine wall-clock time mostly measures how long the scheduler kept us off the CPU.
 * BENCH_CLOCK=wall switches to wall-clock time.
 */
import { performance } from 'node:perf_hooks';

const useWallClock = process.env.BENCH_CLOCK === 'wall';

/** Current time in milliseconds on the selected clock. */
function nowMs(): number {
  if (useWallClock) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const clockName = useWallClock ? 'wall' : 'cpu';

/** One round of work: performs `ops` operations and returns nothing; `setup` runs untimed before it. */
export interface Contender {
  readonly setup?: () => void;
  readonly run: (ops: number) => void;
  /** Operations per round for this contender (default `MeasureOptions.ops`): give a much faster
   *  contender more, so that each of its rounds lasts long enough to time reliably. */
  readonly ops?: number;
}

export interface MeasureOptions {
  /** Operations per round. */
  readonly ops: number;
  readonly rounds?: number;
  readonly warmupRounds?: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeRound(c: Contender, ops: number): number {
  c.setup?.();
  const t0 = nowMs();
  c.run(ops);
  const ms = nowMs() - t0;
  return (ops * 1000) / Math.max(ms, 1e-6);
}

/** Median ops/s per contender name (null contenders are skipped and reported as null). */
export function compare<K extends string>(
  contenders: Record<K, Contender | null>,
  options: MeasureOptions,
): Record<K, number | null> {
  const rounds = options.rounds ?? 7;
  const warmup = options.warmupRounds ?? 2;
  const names = (Object.keys(contenders) as K[]).filter((k) => contenders[k] !== null);
  const samples = new Map<K, number[]>(names.map((k) => [k, []]));
  for (let r = 0; r < warmup + rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const k of order) {
      const c = contenders[k]!;
      const v = timeRound(c, c.ops ?? options.ops);
      if (r >= warmup) samples.get(k)!.push(v);
    }
  }
  const out = {} as Record<K, number | null>;
  for (const k of Object.keys(contenders) as K[]) {
    const s = samples.get(k);
    out[k] = s === undefined ? null : Math.round(median(s));
  }
  return out;
}

export interface BenchLine {
  readonly name: string;
  readonly unit: string;
  readonly rtcwire: number;
  readonly werift: number | null;
  readonly ratio: number | null;
  readonly [extra: string]: unknown;
}

/** Prints one JSON line `{name, unit, rtcwire, werift, ratio, ...extra}`. */
export function report(
  name: string,
  unit: string,
  r: { rtcwire: number | null; werift: number | null },
  extra: Record<string, unknown> = {},
): BenchLine {
  const line: BenchLine = {
    name,
    unit,
    rtcwire: r.rtcwire ?? 0,
    werift: r.werift,
    ratio: r.werift ? Math.round(((r.rtcwire ?? 0) / r.werift) * 100) / 100 : null,
    clock: clockName,
    ...extra,
  };
  console.log(JSON.stringify(line));
  return line;
}
