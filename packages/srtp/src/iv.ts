/**
 * IV construction for the node:crypto fallback (the native addon mirrors it in C).
 * `roc >= 0` selects SRTP (IV from ROC and SEQ); `roc < 0` selects SRTCP (IV from the 31-bit index).
 */

function xor32(b: Uint8Array, o: number, v: number): void {
  b[o] = (b[o] ?? 0) ^ (v >>> 24);
  b[o + 1] = (b[o + 1] ?? 0) ^ ((v >>> 16) & 0xff);
  b[o + 2] = (b[o + 2] ?? 0) ^ ((v >>> 8) & 0xff);
  b[o + 3] = (b[o + 3] ?? 0) ^ (v & 0xff);
}

/**
 * AES-CM (RFC 3711 §4.1.1): (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16); the SRTP index is
 * ROC || SEQ (bytes 8–13), the SRTCP index sits in bytes 10–13.
 */
export function cmIv(out: Uint8Array, salt: Uint8Array, ssrc: number, roc: number, seqOrIndex: number): Uint8Array {
  out.set(salt);
  out[14] = 0;
  out[15] = 0;
  xor32(out, 4, ssrc);
  if (roc >= 0) {
    xor32(out, 8, roc);
    out[12] = (out[12] ?? 0) ^ ((seqOrIndex >>> 8) & 0xff);
    out[13] = (out[13] ?? 0) ^ (seqOrIndex & 0xff);
  } else {
    xor32(out, 10, seqOrIndex & 0x7fffffff);
  }
  return out;
}

/**
 * AES-GCM, SRTP (RFC 7714 §8.1): (0x0000 || SSRC || ROC || SEQ) XOR salt;
 * SRTCP (§9.1): (0x0000 || SSRC || 0x0000 || 0 || index) XOR salt.
 */
export function gcmIv(out: Uint8Array, salt: Uint8Array, ssrc: number, roc: number, seqOrWord: number): Uint8Array {
  out.set(salt);
  xor32(out, 2, ssrc);
  if (roc >= 0) {
    xor32(out, 6, roc);
    out[10] = (out[10] ?? 0) ^ ((seqOrWord >>> 8) & 0xff);
    out[11] = (out[11] ?? 0) ^ (seqOrWord & 0xff);
  } else {
    xor32(out, 8, seqOrWord & 0x7fffffff);
  }
  return out;
}

/** The 4-byte big-endian SRTCP E|index word (RFC 3711 §3.4). */
export function wordBytes(word: number): Uint8Array {
  return new Uint8Array([word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff]);
}
