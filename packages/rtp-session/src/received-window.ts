/**
 * Which of the last `size` sequence numbers of one stream were received — for dropping duplicate
 * and already-repaired packets (RFC 4588 §8.1: an RTX packet may arrive after the original).
 */
import { Unwrapper } from '@rtcwire/common';

export class ReceivedWindow {
  private readonly seqs = new Unwrapper(16);
  private readonly bits: Uint8Array;
  private highest: number | undefined;

  constructor(private readonly size = 4096) {
    this.bits = new Uint8Array(size);
  }

  /** Record `sequenceNumber`; false when it was already received or is older than the window. */
  add(sequenceNumber: number): boolean {
    const seq = this.seqs.unwrap(sequenceNumber & 0xffff);
    if (this.highest === undefined || seq > this.highest) {
      const from = this.highest === undefined ? seq : this.highest + 1;
      // Clear the slots the window moves over (all of them after a jump larger than the window).
      for (let s = Math.max(from, seq - this.size + 1); s <= seq; s++) this.bits[this.slot(s)] = 0;
      this.highest = seq;
    } else if (this.highest - seq >= this.size) {
      return false;
    }
    const slot = this.slot(seq);
    if (this.bits[slot]) return false;
    this.bits[slot] = 1;
    return true;
  }

  private slot(seq: number): number {
    return ((seq % this.size) + this.size) % this.size;
  }
}
