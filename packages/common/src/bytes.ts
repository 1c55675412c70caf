import { ParseError } from './errors.js';

/**
 * Bounds-checked big-endian reader over a Uint8Array view. Every read past the end throws a
 * `ParseError` with code `truncated` and the offending offset, so decoders never read garbage.
 * Views returned by `bytes()` share memory with the input (zero-copy).
 */
export class ByteReader {
  readonly data: Uint8Array;
  private readonly view: DataView;
  offset: number;
  private readonly end: number;

  constructor(data: Uint8Array, offset = 0, length = data.byteLength - offset) {
    if (offset < 0 || length < 0 || offset + length > data.byteLength) {
      throw new ParseError('truncated', 'reader window outside buffer', offset);
    }
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.offset = offset;
    this.end = offset + length;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): void {
    if (this.offset + n > this.end) {
      throw new ParseError('truncated', `need ${n} bytes for ${what}, have ${this.remaining}`, this.offset);
    }
  }

  u8(): number {
    this.need(1, 'u8');
    return this.view.getUint8(this.offset++);
  }

  u16(): number {
    this.need(2, 'u16');
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }

  u24(): number {
    this.need(3, 'u24');
    const v = (this.view.getUint8(this.offset) << 16) | this.view.getUint16(this.offset + 1);
    this.offset += 3;
    return v;
  }

  u32(): number {
    this.need(4, 'u32');
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }

  /** 48-bit unsigned integer as a number (exact: below 2^53). */
  u48(): number {
    this.need(6, 'u48');
    const v = this.view.getUint16(this.offset) * 2 ** 32 + this.view.getUint32(this.offset + 2);
    this.offset += 6;
    return v;
  }

  u64(): bigint {
    this.need(8, 'u64');
    const v = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return v;
  }

  /** A zero-copy view of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    if (n < 0) throw new ParseError('invalid_length', `negative length ${n}`, this.offset);
    this.need(n, 'bytes');
    const v = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /** Everything left, as a zero-copy view. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  skip(n: number): void {
    this.need(n, 'skip');
    this.offset += n;
  }
}

/**
 * Growable big-endian writer. `finish()` returns a view of exactly the bytes written.
 * `reserve`/`patch` support length prefixes written after their content.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.byteLength) return;
    let cap = this.buf.byteLength * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.pos++, v);
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u24(v: number): this {
    this.ensure(3);
    this.view.setUint8(this.pos, (v >>> 16) & 0xff);
    this.view.setUint16(this.pos + 1, v & 0xffff);
    this.pos += 3;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
    return this;
  }

  u48(v: number): this {
    this.ensure(6);
    this.view.setUint16(this.pos, Math.floor(v / 2 ** 32) & 0xffff);
    this.view.setUint32(this.pos + 2, v >>> 0);
    this.pos += 6;
    return this;
  }

  u64(v: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.pos, v);
    this.pos += 8;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.byteLength);
    this.buf.set(data, this.pos);
    this.pos += data.byteLength;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Reserve `n` bytes at the current position and return their offset, for a later `patchUint`. */
  reserve(n: number): number {
    const at = this.pos;
    this.zeros(n);
    return at;
  }

  /** Write an unsigned big-endian integer of `size` bytes (1..4) at an earlier offset. */
  patchUint(at: number, size: 1 | 2 | 3 | 4, v: number): this {
    for (let i = size - 1; i >= 0; i--) {
      this.buf[at + i] = v & 0xff;
      v = Math.floor(v / 256);
    }
    return this;
  }

  /** The bytes written so far (a view; copy it if the writer is reused). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * A real copy of `data`. Use this instead of `data.slice()`: on a Node `Buffer`, `slice()` returns a
 * view that shares memory, so writing to the "copy" would modify the received datagram.
 */
export function copyBytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(data);
}

/** Concatenate byte arrays into one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Constant-time comparison of two byte arrays (for MACs and integrity values). */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new ParseError('invalid_hex', 'not a hex string', 0);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
