/** Internal big-endian helpers on plain byte arrays (no DataView allocation on hot paths). */

export function readU32(b: Uint8Array, at: number): number {
  return (
    (((b[at] as number) << 24) |
      ((b[at + 1] as number) << 16) |
      ((b[at + 2] as number) << 8) |
      (b[at + 3] as number)) >>>
    0
  );
}

export function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

const SLAB_SIZE = 64 * 1024;
const SLAB_MAX_ALLOCATION = 4096;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

/**
 * Output buffers for encoders. Allocating a fresh ArrayBuffer per packet costs microseconds
 * (zero-fill plus external-memory accounting in V8), so small outputs are carved from a shared
 * 64 KiB slab, like Node's Buffer pool: the result may have a non-zero `byteOffset` and share its
 * `ArrayBuffer` with other packets. Callers must overwrite every byte they return.
 */
export function allocOutput(size: number): Uint8Array {
  if (size > SLAB_MAX_ALLOCATION) return new Uint8Array(size);
  if (slabUsed + size > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, size);
  slabUsed = (slabUsed + size + 7) & ~7;
  return out;
}

/**
 * A zero-copy view of `bytes[start, end)`. Constructing on the ArrayBuffer directly is about twice
 * as fast as `subarray` in V8 (and several times faster on a Node `Buffer`, whose `subarray` goes
 * through the species constructor); the result is always a plain `Uint8Array`.
 */
export function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}
