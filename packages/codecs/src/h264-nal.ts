/**
 * H.264 NAL unit helpers: Annex-B byte streams ⇄ NAL units, length-prefixed (AVC) form, and
 * splitting a byte stream into access units (ITU-T H.264 Annex B, §7.4.1.2.3).
 */

export const NalType = {
  slice: 1,
  idr: 5,
  sei: 6,
  sps: 7,
  pps: 8,
  aud: 9,
  stapA: 24,
  fuA: 28,
} as const;

export function nalType(nal: Uint8Array): number {
  return (nal[0] ?? 0) & 0x1f;
}

/**
 * Split an Annex-B byte stream into NAL units (views into `data`), dropping start codes and the
 * zero bytes before them. Bytes before the first start code are ignored.
 */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const nals: Uint8Array[] = [];
  let start = -1;
  let i = 0;
  const n = data.byteLength;
  while (i + 2 < n) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) pushTrimmed(nals, data, start, i);
      i += 3;
      start = i;
    } else {
      i++;
    }
  }
  if (start >= 0) pushTrimmed(nals, data, start, n);
  return nals;
}

function pushTrimmed(out: Uint8Array[], data: Uint8Array, start: number, end: number): void {
  while (end > start && data[end - 1] === 0) end--;
  if (end > start) out.push(data.subarray(start, end));
}

const START_CODE = Uint8Array.from([0, 0, 0, 1]);

/** Join NAL units into an Annex-B byte stream with 4-byte start codes. */
export function joinAnnexB(nals: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const nal of nals) total += 4 + nal.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const nal of nals) {
    out.set(START_CODE, at);
    out.set(nal, at + 4);
    at += 4 + nal.byteLength;
  }
  return out;
}

/** Join NAL units with 4-byte big-endian length prefixes (the MP4/Matroska "AVC" sample format). */
export function joinLengthPrefixed(nals: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const nal of nals) total += 4 + nal.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const nal of nals) {
    view.setUint32(at, nal.byteLength);
    out.set(nal, at + 4);
    at += 4 + nal.byteLength;
  }
  return out;
}

/** True when a VCL NAL unit's slice header starts with first_mb_in_slice = 0 (ue(v) code "1"). */
export function isFirstSliceOfPicture(nal: Uint8Array): boolean {
  return ((nal[1] ?? 0) & 0x80) !== 0;
}

/**
 * Group a stream's NAL units into access units (H.264 §7.4.1.2.3): a new one starts at an AUD,
 * SPS, PPS or SEI that follows a slice, or at a slice whose first_mb_in_slice is 0 following a slice.
 * (Arbitrary slice order streams are not supported.)
 */
export function splitAccessUnits(nals: readonly Uint8Array[]): Uint8Array[][] {
  const units: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let sawSlice = false;
  for (const nal of nals) {
    const type = nalType(nal);
    const vcl = type >= 1 && type <= 5;
    const startsUnit =
      sawSlice && ((type >= 6 && type <= 9) || (type >= 14 && type <= 18) || (vcl && isFirstSliceOfPicture(nal)));
    if (startsUnit && current.length > 0) {
      units.push(current);
      current = [];
      sawSlice = false;
    }
    current.push(nal);
    if (vcl) sawSlice = true;
  }
  if (current.length > 0) units.push(current);
  return units;
}

/** Remove emulation-prevention bytes (0x000003 → 0x0000) to get the RBSP (H.264 §7.4.1). */
export function nalToRbsp(nal: Uint8Array): Uint8Array {
  const out = new Uint8Array(nal.byteLength);
  let zeros = 0;
  let n = 0;
  for (const b of nal) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}
