/**
 * Anti-replay sliding window over 48-bit record sequence numbers (RFC 6347 §4.1.2.6, the
 * RFC 4303 §3.4.3 algorithm). 64 entries, kept as two 32-bit words so no bigint per record.
 * `check` before decrypting, `accept` only after the record authenticated.
 */
export class ReplayWindow {
  static readonly SIZE = 64;
  private top = -1;
  /** Bit i set = (top - i) was received; lo covers offsets 0..31, hi 32..63. */
  private lo = 0;
  private hi = 0;

  /** True when `seq` is new and inside (or ahead of) the window. */
  check(seq: number): boolean {
    if (seq > this.top) return true;
    const offset = this.top - seq;
    if (offset >= ReplayWindow.SIZE) return false;
    return offset < 32 ? (this.lo & (1 << offset)) === 0 : (this.hi & (1 << (offset - 32))) === 0;
  }

  /** Mark `seq` as received, sliding the window forward if needed. */
  accept(seq: number): void {
    if (seq > this.top) {
      const shift = this.top < 0 ? ReplayWindow.SIZE : seq - this.top;
      this.shift(shift);
      this.top = seq;
      this.lo |= 1;
      return;
    }
    const offset = this.top - seq;
    if (offset >= ReplayWindow.SIZE) return;
    if (offset < 32) this.lo |= 1 << offset;
    else this.hi |= 1 << (offset - 32);
  }

  private shift(n: number): void {
    if (n >= 64) {
      this.lo = 0;
      this.hi = 0;
    } else if (n >= 32) {
      this.hi = n === 32 ? this.lo : this.lo << (n - 32);
      this.lo = 0;
    } else if (n > 0) {
      this.hi = (this.hi << n) | (this.lo >>> (32 - n));
      this.lo = this.lo << n;
    }
  }
}
