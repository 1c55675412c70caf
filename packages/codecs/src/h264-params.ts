import { ByteWriter, InvalidArgumentError, isParseError } from '@rtcwire/common';
import { NalType, nalType } from './h264-nal.js';
import { type H264Sps, parseH264PpsId, parseH264Sps } from './h264-sps.js';

/**
 * Tracks the latest SPS and PPS NAL units of a stream (by id), so an IDR that arrives without
 * them in-band can have them prepended, and a muxer can build its CodecPrivate (avcC).
 */
export class H264ParameterSets {
  private readonly spsById = new Map<number, Uint8Array>();
  private readonly ppsById = new Map<number, Uint8Array>();
  private lastSps: H264Sps | undefined;

  /** Remember any SPS/PPS among `nals` (malformed ones are ignored). Copies the bytes. */
  observe(nals: readonly Uint8Array[]): void {
    for (const nal of nals) {
      const type = nalType(nal);
      try {
        if (type === NalType.sps) {
          const sps = parseH264Sps(nal);
          this.spsById.set(sps.spsId, nal.slice());
          this.lastSps = sps;
        } else if (type === NalType.pps) {
          this.ppsById.set(parseH264PpsId(nal), nal.slice());
        }
      } catch (err) {
        if (!isParseError(err)) throw err;
      }
    }
  }

  get complete(): boolean {
    return this.spsById.size > 0 && this.ppsById.size > 0;
  }

  get sps(): Uint8Array[] {
    return [...this.spsById.values()];
  }

  get pps(): Uint8Array[] {
    return [...this.ppsById.values()];
  }

  /** The most recently seen SPS, parsed. */
  get latestSps(): H264Sps | undefined {
    return this.lastSps;
  }

  /**
   * If the access unit holds an IDR but no SPS or PPS, return it with the known ones in front
   * (after an access unit delimiter, if any). Otherwise return it unchanged.
   */
  withParameterSets(nals: readonly Uint8Array[]): Uint8Array[] {
    const types = nals.map(nalType);
    if (!types.includes(NalType.idr) || !this.complete) return [...nals];
    const hasSps = types.includes(NalType.sps);
    const hasPps = types.includes(NalType.pps);
    if (hasSps && hasPps) return [...nals];
    const insert = [...(hasSps ? [] : this.sps), ...(hasPps ? [] : this.pps)];
    const at = types[0] === NalType.aud ? 1 : 0;
    return [...nals.slice(0, at), ...insert, ...nals.slice(at)];
  }
}

/**
 * Build an AVCDecoderConfigurationRecord ("avcC", ISO/IEC 14496-15 §5.3.3.1) from SPS and PPS NAL
 * units — the CodecPrivate of H.264 in Matroska/WebM and MP4. NAL lengths are 4 bytes.
 */
export function buildAvcDecoderConfigurationRecord(sps: readonly Uint8Array[], pps: readonly Uint8Array[]): Uint8Array {
  const first = sps[0];
  if (first === undefined || first.byteLength < 4 || pps.length === 0) {
    throw new InvalidArgumentError('avcC needs at least one SPS and one PPS');
  }
  if (sps.length > 31 || pps.length > 255) throw new InvalidArgumentError('too many parameter sets for avcC');
  const w = new ByteWriter(16 + [...sps, ...pps].reduce((n, x) => n + 2 + x.byteLength, 0));
  w.u8(1); // configurationVersion
  w.u8(first[1] as number)
    .u8(first[2] as number)
    .u8(first[3] as number); // profile, compatibility, level
  w.u8(0xfc | 3); // reserved + lengthSizeMinusOne = 3
  w.u8(0xe0 | sps.length);
  for (const s of sps) w.u16(s.byteLength).bytes(s);
  w.u8(pps.length);
  for (const p of pps) w.u16(p.byteLength).bytes(p);
  const profile = first[1] as number;
  if (profile === 100 || profile === 110 || profile === 122 || profile === 144) {
    // §5.3.3.1.2: high profiles carry chroma format and bit depths.
    const parsed = parseH264Sps(first);
    w.u8(0xfc | parsed.chromaFormatIdc);
    w.u8(0xf8 | (parsed.bitDepthLuma - 8));
    w.u8(0xf8 | (parsed.bitDepthChroma - 8));
    w.u8(0); // numOfSequenceParameterSetExt
  }
  return w.finish();
}
