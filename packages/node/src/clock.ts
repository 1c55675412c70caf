import { performance } from 'node:perf_hooks';
import type { Clock, Millis } from '@rtcwire/common';

/**
 * The real monotonic clock: milliseconds from `performance.now()` (never jumps with wall-clock
 * changes). The only place in rtcwire that reads time; cores receive `now` from here.
 */
export const monotonicClock: Clock = {
  now(): Millis {
    return performance.now();
  },
};

/** Schedules the driver's single timer. Injected so tests can run the driver on a fake scheduler. */
export interface TimerScheduler {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export const nodeTimers: TimerScheduler = {
  set(callback, delayMs) {
    const t = setTimeout(callback, delayMs);
    // A pending protocol deadline alone must not keep the process alive; sockets do that.
    t.unref();
    return t;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
