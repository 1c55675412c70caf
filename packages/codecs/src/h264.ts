import { InvalidArgumentError, ParseError } from '@rtcwire/common';
import { evenChunkSizes } from './bytes.js';
import { isFirstSliceOfPicture, joinAnnexB, joinLengthPrefixed, NalType, nalType, splitAnnexB } from './h264-nal.js';
import { H264ParameterSets } from './h264-params.js';
import type { AssembledMedia, DepacketizedPayload, Depacketizer, Packetizer, RtpPayload } from './types.js';

export interface H264PacketizerOptions {
  readonly maxPayloadSize: number;
  /** RFC 6184 §6.2: 0 = single NAL unit mode only, 1 = non-interleaved (adds STAP-A and FU-A). Default 1. */
  readonly packetizationMode?: 0 | 1;
  /** Insert the last seen SPS/PPS before an IDR that comes without them (default true). */
  readonly prependParameterSets?: boolean;
}

/**
 * H.264 packetizer (RFC 6184). `packetize` takes one access unit in Annex-B form;
 * `packetizeNals` takes its NAL units. The marker bit is set on the access unit's last packet.
 */
export class H264Packetizer implements Packetizer {
  readonly maxPayloadSize: number;
  readonly parameterSets = new H264ParameterSets();
  private readonly mode: 0 | 1;
  private readonly prepend: boolean;

  constructor(options: H264PacketizerOptions) {
    if (options.maxPayloadSize < 3) throw new InvalidArgumentError('maxPayloadSize too small for H.264');
    this.maxPayloadSize = options.maxPayloadSize;
    this.mode = options.packetizationMode ?? 1;
    this.prepend = options.prependParameterSets ?? true;
  }

  packetize(accessUnit: Uint8Array): RtpPayload[] {
    return this.packetizeNals(splitAnnexB(accessUnit));
  }

  packetizeNals(input: readonly Uint8Array[]): RtpPayload[] {
    this.parameterSets.observe(input);
    const nals = this.prepend ? this.parameterSets.withParameterSets(input) : [...input];
    const payloads: Uint8Array[] = [];
    const max = this.maxPayloadSize;
    for (let i = 0; i < nals.length; ) {
      const nal = nals[i] as Uint8Array;
      if (this.mode === 1) {
        // RFC 6184 §5.7.1: aggregate following NAL units into a STAP-A while they fit.
        let size = 1 + 2 + nal.byteLength;
        let j = i + 1;
        while (j < nals.length && size + 2 + (nals[j] as Uint8Array).byteLength <= max) {
          size += 2 + (nals[j] as Uint8Array).byteLength;
          j++;
        }
        if (j - i >= 2 && size <= max) {
          payloads.push(stapA(nals.slice(i, j), size));
          i = j;
          continue;
        }
      }
      if (nal.byteLength <= max) payloads.push(nal);
      else if (this.mode === 0) {
        throw new InvalidArgumentError(`NAL unit of ${nal.byteLength} bytes exceeds ${max} in packetization-mode 0`);
      } else payloads.push(...fuA(nal, max));
      i++;
    }
    return payloads.map((payload, k) => ({ payload, marker: k === payloads.length - 1 }));
  }
}

function stapA(nals: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let nri = 0;
  let f = 0;
  let at = 1;
  for (const nal of nals) {
    const h = nal[0] as number;
    nri = Math.max(nri, h & 0x60);
    f |= h & 0x80;
    out[at] = nal.byteLength >> 8;
    out[at + 1] = nal.byteLength & 0xff;
    out.set(nal, at + 2);
    at += 2 + nal.byteLength;
  }
  out[0] = f | nri | NalType.stapA;
  return out;
}

/** RFC 6184 §5.8: FU indicator (F, NRI, 28) + FU header (S, E, R=0, type) + fragment. */
function fuA(nal: Uint8Array, max: number): Uint8Array[] {
  const header = nal[0] as number;
  const body = nal.subarray(1);
  const sizes = evenChunkSizes(body.byteLength, max - 2);
  const out: Uint8Array[] = [];
  let at = 0;
  sizes.forEach((size, i) => {
    const p = new Uint8Array(2 + size);
    p[0] = (header & 0xe0) | NalType.fuA;
    p[1] = (i === 0 ? 0x80 : 0) | (i === sizes.length - 1 ? 0x40 : 0) | (header & 0x1f);
    p.set(body.subarray(at, at + size), 2);
    at += size;
    out.push(p);
  });
  return out;
}

/** One parsed H.264 RTP payload: whole NAL units, or one FU-A fragment. */
export interface H264Payload extends DepacketizedPayload {
  readonly nals: readonly Uint8Array[];
  readonly fragment?: {
    readonly start: boolean;
    readonly end: boolean;
    readonly nalHeader: number;
    readonly data: Uint8Array;
  };
}

export interface H264DepacketizerOptions {
  /** Output form: Annex-B with 4-byte start codes (default) or 4-byte length prefixes ("avc"). */
  readonly output?: 'annexb' | 'avc';
}

/**
 * H.264 depacketizer for `FrameAssembler` (RFC 6184, modes 0 and 1): single NAL units, STAP-A and
 * FU-A. Tracks SPS/PPS and prepends them to an IDR that lacks them; a frame is a keyframe when it
 * holds an IDR and its parameter sets are known.
 */
export class H264Depacketizer implements Depacketizer<H264Payload> {
  readonly parameterSets = new H264ParameterSets();
  private readonly output: 'annexb' | 'avc';

  constructor(options: H264DepacketizerOptions = {}) {
    this.output = options.output ?? 'annexb';
  }

  parse(payload: Uint8Array): H264Payload {
    // Hand-rolled bounds checks (no reader object): this runs once per received packet.
    const header = payload[0];
    if (header === undefined) throw new ParseError('truncated', 'empty H.264 payload', 0);
    if (header & 0x80) throw new ParseError('h264_forbidden_bit', 'forbidden_zero_bit set', 0);
    const type = header & 0x1f;
    if (type >= 1 && type <= 23) return { frameStart: startClaim(payload), nals: [payload] };
    if (type === NalType.stapA) {
      // RFC 6184 §5.7.1: (16-bit size, NAL unit)*
      const nals: Uint8Array[] = [];
      let at = 1;
      while (at < payload.byteLength) {
        if (at + 2 > payload.byteLength) throw new ParseError('truncated', 'STAP-A size field cut short', at);
        const size = ((payload[at] as number) << 8) | (payload[at + 1] as number);
        if (size === 0) throw new ParseError('h264_empty_nal', 'zero-size NAL unit in STAP-A', at);
        if (at + 2 + size > payload.byteLength) throw new ParseError('truncated', 'STAP-A NAL unit cut short', at + 2);
        nals.push(payload.subarray(at + 2, at + 2 + size));
        at += 2 + size;
      }
      if (nals.length === 0) throw new ParseError('h264_empty_stap', 'STAP-A without NAL units', 1);
      return { frameStart: startClaim(nals[0] as Uint8Array), nals };
    }
    if (type === NalType.fuA) {
      // RFC 6184 §5.8: FU indicator, FU header |S|E|R|Type|, fragment
      const fu = payload[1];
      if (fu === undefined) throw new ParseError('truncated', 'FU-A without FU header', 1);
      const start = (fu & 0x80) !== 0;
      const end = (fu & 0x40) !== 0;
      if (start && end) throw new ParseError('h264_bad_fu', 'FU-A with both S and E set', 1);
      const nalHeader = (header & 0xe0) | (fu & 0x1f);
      const data = payload.subarray(2);
      if (data.byteLength === 0) throw new ParseError('h264_bad_fu', 'empty FU-A fragment', 2);
      const frameStart = start ? startClaim(Uint8Array.of(nalHeader, data[0] as number)) : false;
      return { frameStart, nals: [], fragment: { start, end, nalHeader, data } };
    }
    throw new ParseError('h264_unsupported_nal', `NAL unit type ${type} not supported in modes 0/1`, 0);
  }

  assemble(parts: readonly H264Payload[]): AssembledMedia | undefined {
    const nals: Uint8Array[] = [];
    let fragments: Uint8Array[] | undefined;
    let fragmentHeader = 0;
    for (const part of parts) {
      const frag = part.fragment;
      if (frag === undefined) {
        if (fragments !== undefined) return undefined; // unterminated FU-A
        nals.push(...part.nals);
        continue;
      }
      if (frag.start) {
        if (fragments !== undefined) return undefined;
        fragments = [];
        fragmentHeader = frag.nalHeader;
      } else if (fragments === undefined || frag.nalHeader !== fragmentHeader) return undefined;
      fragments.push(frag.data);
      if (frag.end) {
        nals.push(joinFragments(fragmentHeader, fragments));
        fragments = undefined;
      }
    }
    if (fragments !== undefined || nals.length === 0) return undefined;
    this.parameterSets.observe(nals);
    const full = this.parameterSets.withParameterSets(nals);
    const types = full.map(nalType);
    const keyframe = types.includes(NalType.idr) && types.includes(NalType.sps) && types.includes(NalType.pps);
    const data = this.output === 'avc' ? joinLengthPrefixed(full) : joinAnnexB(full);
    const sps = this.parameterSets.latestSps;
    if (keyframe && sps !== undefined) return { data, keyframe, width: sps.width, height: sps.height };
    return { data, keyframe };
  }
}

function joinFragments(header: number, fragments: readonly Uint8Array[]): Uint8Array {
  let total = 1;
  for (const f of fragments) total += f.byteLength;
  const nal = new Uint8Array(total);
  nal[0] = header;
  let at = 1;
  for (const f of fragments) {
    nal.set(f, at);
    at += f.byteLength;
  }
  return nal;
}

/** A slice that does not start at macroblock 0 cannot begin an access unit; otherwise unknown. */
function startClaim(nal: Uint8Array): boolean | undefined {
  const type = nalType(nal);
  if ((type === NalType.slice || type === NalType.idr) && nal.byteLength > 1 && !isFirstSliceOfPicture(nal))
    return false;
  return undefined;
}
