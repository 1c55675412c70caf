/**
 * Sliding replay window over packet indices (RFC 3711 §3.3.2, Appendix A). `size` is a multiple of 32
 * (default 64; e.g. 512 for high-rate video, whose reordering can span more than 64 packets).
 * A bitmap indexed by `index mod size` marks received indices in (highest - size, highest].
 */
export type ReplayCheck = 'ok' | 'replayed' | 'too_old';

export class ReplayWindow {
  readonly size: number;
  private readonly bits: Uint32Array;
  /** Highest accepted index, -1 before the first packet. */
  private highest = -1;

  constructor(size = 64) {
    if (!Number.isInteger(size) || size < 32 || size % 32 !== 0) {
      throw new RangeError(`replay window size must be a positive multiple of 32, got ${size}`);
    }
    this.size = size;
    this.bits = new Uint32Array(size / 32);
  }

  get highestIndex(): number {
    return this.highest;
  }

  /** Whether `index` would be accepted; does not change state (call `accept` after authentication). */
  check(index: number): ReplayCheck {
    if (index > this.highest) return 'ok';
    if (this.highest - index >= this.size) return 'too_old';
    const slot = index % this.size;
    return ((this.bits[slot >>> 5] ?? 0) >>> (slot & 31)) & 1 ? 'replayed' : 'ok';
  }

  /** Records an authenticated index. */
  accept(index: number): void {
    if (index > this.highest) {
      const advance = this.highest < 0 ? this.size : index - this.highest;
      if (advance >= this.size) {
        this.bits.fill(0);
      } else {
        // Clear the slots of the indices that slide into the window unseen.
        for (let i = this.highest + 1; i < index; i++) this.clear(i % this.size);
      }
      this.highest = index;
    }
    const slot = index % this.size;
    this.bits[slot >>> 5] = (this.bits[slot >>> 5] ?? 0) | (1 << (slot & 31));
  }

  private clear(slot: number): void {
    this.bits[slot >>> 5] = (this.bits[slot >>> 5] ?? 0) & ~(1 << (slot & 31));
  }
}

/**
 * RFC 3711 §3.3.1 / Appendix A: guesses the 48-bit index of a packet with sequence number `seq`
 * given the highest index accepted so far (-1 when none, then `initialRoc` applies).
 * Returns -1 when the guess would need a negative ROC (a packet from before the stream start).
 */
export function estimateIndex(highestIndex: number, seq: number, initialRoc: number): number {
  if (highestIndex < 0) return initialRoc * 0x10000 + seq;
  const roc = Math.floor(highestIndex / 0x10000);
  const sl = highestIndex % 0x10000;
  let v = roc;
  if (sl < 0x8000) {
    if (seq - sl > 0x8000) v = roc - 1;
  } else if (sl - 0x8000 > seq) {
    v = roc + 1;
  }
  if (v < 0 || v > 0xffffffff) return -1;
  return v * 0x10000 + seq;
}
