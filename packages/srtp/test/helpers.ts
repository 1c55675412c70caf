import { SRTP_PROFILES, type SrtpProfileName } from '../src/index.js';

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export const ALL_PROFILES = Object.keys(SRTP_PROFILES) as SrtpProfileName[];

/** Builds an RTP packet (RFC 3550 §5.1) with optional CSRCs and a one-byte-header extension. */
export function rtp(
  seq: number,
  ssrc: number,
  payload: Uint8Array,
  opts: { csrcs?: number[]; extension?: Uint8Array; marker?: boolean } = {},
): Uint8Array {
  const csrcs = opts.csrcs ?? [];
  const ext = opts.extension;
  const extLen = ext === undefined ? 0 : 4 + Math.ceil(ext.length / 4) * 4;
  const out = new Uint8Array(12 + csrcs.length * 4 + extLen + payload.length);
  const v = new DataView(out.buffer);
  out[0] = 0x80 | (ext === undefined ? 0 : 0x10) | csrcs.length;
  out[1] = (opts.marker ? 0x80 : 0) | 96;
  v.setUint16(2, seq & 0xffff);
  v.setUint32(4, (seq * 3000) >>> 0);
  v.setUint32(8, ssrc >>> 0);
  let o = 12;
  for (const c of csrcs) {
    v.setUint32(o, c >>> 0);
    o += 4;
  }
  if (ext !== undefined) {
    v.setUint16(o, 0xbede);
    v.setUint16(o + 2, Math.ceil(ext.length / 4));
    out.set(ext, o + 4);
    o += extLen;
  }
  out.set(payload, o);
  return out;
}

/** A minimal RTCP receiver report (RFC 3550 §6.4.2) with no report blocks plus `extra` bytes. */
export function rtcp(ssrc: number, extraWords = 0): Uint8Array {
  const out = new Uint8Array(8 + extraWords * 4);
  const v = new DataView(out.buffer);
  out[0] = 0x80;
  out[1] = 201;
  v.setUint16(2, 1 + extraWords);
  v.setUint32(4, ssrc >>> 0);
  for (let i = 8; i < out.length; i++) out[i] = i & 0xff;
  return out;
}

export function masterKeys(profile: SrtpProfileName, seed = 1): { key: Uint8Array; salt: Uint8Array } {
  const p = SRTP_PROFILES[profile];
  const key = new Uint8Array(p.masterKeyLength).map((_, i) => (i * 7 + seed) & 0xff);
  const salt = new Uint8Array(p.masterSaltLength).map((_, i) => (i * 13 + seed * 3) & 0xff);
  return { key, salt };
}
