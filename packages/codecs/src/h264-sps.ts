import { ParseError } from '@rtcwire/common';
import { BitReader } from './bit-reader.js';
import { NalType, nalToRbsp, nalType } from './h264-nal.js';

/** Fields of an H.264 sequence parameter set (H.264 §7.3.2.1.1) useful to transports and muxers. */
export interface H264Sps {
  readonly profileIdc: number;
  readonly constraintFlags: number;
  readonly levelIdc: number;
  readonly spsId: number;
  readonly chromaFormatIdc: number;
  readonly bitDepthLuma: number;
  readonly bitDepthChroma: number;
  /** Display size after cropping. */
  readonly width: number;
  readonly height: number;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** Parse an SPS NAL unit (header byte included). Throws `ParseError` on malformed input. */
export function parseH264Sps(nal: Uint8Array): H264Sps {
  if (nalType(nal) !== NalType.sps) throw new ParseError('h264_not_sps', 'NAL unit is not an SPS', 0);
  const r = new BitReader(nalToRbsp(nal).subarray(1));
  const profileIdc = r.bits(8);
  const constraintFlags = r.bits(8);
  const levelIdc = r.bits(8);
  const spsId = r.ue();
  let chromaFormatIdc = 1;
  let separateColourPlane = 0;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ue();
    if (chromaFormatIdc === 3) separateColourPlane = r.bit();
    bitDepthLuma = r.ue() + 8;
    bitDepthChroma = r.ue() + 8;
    r.bit(); // qpprime_y_zero_transform_bypass_flag
    if (r.bit()) {
      // seq_scaling_matrix_present_flag
      const lists = chromaFormatIdc === 3 ? 12 : 8;
      for (let i = 0; i < lists; i++) if (r.bit()) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) r.ue();
  else if (pocType === 1) {
    r.bit();
    r.se();
    r.se();
    const cycle = r.ue();
    if (cycle > 255) throw new ParseError('h264_bad_sps', 'num_ref_frames_in_pic_order_cnt_cycle > 255', 0);
    for (let i = 0; i < cycle; i++) r.se();
  } else if (pocType !== 2) throw new ParseError('h264_bad_sps', `pic_order_cnt_type ${pocType}`, 0);
  r.ue(); // max_num_ref_frames
  r.bit(); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.ue() + 1;
  const heightMapUnits = r.ue() + 1;
  const frameMbsOnly = r.bit();
  if (!frameMbsOnly) r.bit(); // mb_adaptive_frame_field_flag
  r.bit(); // direct_8x8_inference_flag
  let crop = [0, 0, 0, 0];
  if (r.bit()) crop = [r.ue(), r.ue(), r.ue(), r.ue()];
  // H.264 §7.4.2.1.1 (frame_crop_*_offset): crop units depend on chroma subsampling.
  const arrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subW = arrayType === 1 || arrayType === 2 ? 2 : 1;
  const subH = arrayType === 1 ? 2 : 1;
  const cropX = arrayType === 0 ? 1 : subW;
  const cropY = (arrayType === 0 ? 1 : subH) * (2 - frameMbsOnly);
  const [left, right, top, bottom] = crop as [number, number, number, number];
  const width = widthMbs * 16 - cropX * (left + right);
  const height = (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (top + bottom);
  if (width <= 0 || height <= 0) throw new ParseError('h264_bad_sps', 'cropping exceeds picture size', 0);
  return { profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc, bitDepthLuma, bitDepthChroma, width, height };
}

/** The pic_parameter_set_id of a PPS NAL unit. */
export function parseH264PpsId(nal: Uint8Array): number {
  if (nalType(nal) !== NalType.pps) throw new ParseError('h264_not_pps', 'NAL unit is not a PPS', 0);
  return new BitReader(nalToRbsp(nal).subarray(1)).ue();
}

/** Profile-level-id as used in SDP fmtp (RFC 6184 §8.1), e.g. "42c00d". */
export function profileLevelId(sps: H264Sps): string {
  return [sps.profileIdc, sps.constraintFlags, sps.levelIdc].map((v) => v.toString(16).padStart(2, '0')).join('');
}
