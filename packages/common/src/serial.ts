/**
 * Serial-number arithmetic (RFC 1982) for RTP sequence numbers (16 bit) and timestamps (32 bit),
 * plus unwrappers that extend wrapping counters to monotonically comparable numbers.
 */

/** a - b in 16-bit serial space, in [-32768, 32767]. */
export function seq16Diff(a: number, b: number): number {
  const d = (a - b) & 0xffff;
  return d >= 0x8000 ? d - 0x10000 : d;
}

/** True when a is newer than b in 16-bit serial space. */
export function seq16Newer(a: number, b: number): boolean {
  return seq16Diff(a, b) > 0;
}

export function seq16Add(a: number, n: number): number {
  return (a + n) & 0xffff;
}

/** a - b in 32-bit serial space, in [-2^31, 2^31 - 1]. */
export function seq32Diff(a: number, b: number): number {
  const d = (a - b) >>> 0;
  return d >= 0x80000000 ? d - 0x100000000 : d;
}

export function seq32Newer(a: number, b: number): boolean {
  return seq32Diff(a, b) > 0;
}

/**
 * Extends a wrapping counter of `bits` width into an unbounded number, choosing for each input the
 * value nearest to the last one seen (so reordering across the wrap is handled both ways).
 */
export class Unwrapper {
  private last: number | undefined;
  private readonly modulus: number;
  private readonly half: number;

  constructor(bits: 16 | 32) {
    this.modulus = 2 ** bits;
    this.half = this.modulus / 2;
  }

  unwrap(value: number): number {
    if (this.last === undefined) {
      this.last = value;
      return value;
    }
    const lastWrapped = ((this.last % this.modulus) + this.modulus) % this.modulus;
    let delta = value - lastWrapped;
    if (delta > this.half) delta -= this.modulus;
    else if (delta < -this.half) delta += this.modulus;
    const result = this.last + delta;
    if (delta > 0) this.last = result;
    return result;
  }

  /** The highest unwrapped value seen, if any. */
  get highest(): number | undefined {
    return this.last;
  }
}
