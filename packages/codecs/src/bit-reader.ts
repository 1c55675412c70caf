import { ParseError } from '@rtcwire/common';

/**
 * MSB-first bit reader for codec headers (H.264 SPS Exp-Golomb codes, VP9 and AV1 uncompressed
 * headers). Reading past the end throws `ParseError('truncated')`.
 */
export class BitReader {
  private bitPos = 0;
  constructor(private readonly data: Uint8Array) {}

  get bitsLeft(): number {
    return this.data.byteLength * 8 - this.bitPos;
  }

  bit(): number {
    const byte = this.data[this.bitPos >> 3];
    if (byte === undefined) throw new ParseError('truncated', 'bitstream ended', this.bitPos >> 3);
    const v = (byte >> (7 - (this.bitPos & 7))) & 1;
    this.bitPos++;
    return v;
  }

  /** Read an unsigned integer of up to 32 bits. */
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }

  skip(n: number): void {
    if (n > this.bitsLeft) throw new ParseError('truncated', 'bitstream ended', this.data.byteLength);
    this.bitPos += n;
  }

  /** Unsigned Exp-Golomb code, ue(v) (H.264 §9.1). */
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      zeros++;
      if (zeros > 31) throw new ParseError('invalid_exp_golomb', 'Exp-Golomb code too long', this.bitPos >> 3);
    }
    return 2 ** zeros - 1 + this.bits(zeros);
  }

  /** Signed Exp-Golomb code, se(v) (H.264 §9.1.1). */
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }

  /** AV1 uvlc() (AV1 §4.10.3). */
  uvlc(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      zeros++;
      if (zeros >= 32) return 2 ** 32 - 1;
    }
    return this.bits(zeros) + 2 ** zeros - 1;
  }
}
