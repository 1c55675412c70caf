/**
 * Time in rtcwire is a monotonic millisecond count supplied by the caller (ARCHITECTURE.md
 * principle 2). Protocol cores take `now` as an argument and report deadlines; only the node
 * layer reads a real clock.
 */
export type Millis = number;

/** A source of monotonic milliseconds, used only by drivers (node layer, netsim). */
export interface Clock {
  now(): Millis;
}

/** A clock the caller advances by hand; for tests and simulations. */
export class ManualClock implements Clock {
  private t: Millis;
  constructor(start: Millis = 0) {
    this.t = start;
  }
  now(): Millis {
    return this.t;
  }
  advanceTo(t: Millis): void {
    if (t < this.t) throw new RangeError(`time cannot go backwards (${t} < ${this.t})`);
    this.t = t;
  }
  advanceBy(ms: Millis): void {
    this.t += ms;
  }
}

/** The earliest of several optional deadlines. */
export function earliest(...deadlines: readonly (Millis | undefined)[]): Millis | undefined {
  let best: Millis | undefined;
  for (const d of deadlines) if (d !== undefined && (best === undefined || d < best)) best = d;
  return best;
}

/** Offset between the NTP epoch (1900) and the Unix epoch (1970), in seconds (RFC 5905). */
export const NTP_UNIX_OFFSET_S = 2_208_988_800;
