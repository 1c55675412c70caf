import { InvalidArgumentError, isParseError, ParseError, concatBytes } from '@rtcwire/common';
import {
  type Av1SequenceHeader,
  isAv1KeyFrameHeader,
  joinObus,
  leb128Size,
  type Obu,
  ObuType,
  parseAv1SequenceHeader,
  readLeb128,
  readObu,
  splitObus,
  writeLeb128,
} from './av1-obu.js';
import type { AssembledMedia, DepacketizedPayload, Depacketizer, Packetizer, RtpPayload } from './types.js';

/** The AV1 RTP aggregation header (AV1 RTP spec §4.4): |Z|Y|W W|N|-|-|-|. */
export interface Av1AggregationHeader {
  /** Z: the first OBU element continues a fragment from the previous packet. */
  readonly continuesFragment: boolean;
  /** Y: the last OBU element continues in the next packet. */
  readonly fragmentContinues: boolean;
  /** W: element count when 1..3 (the last has no length field); 0 = every element has one. */
  readonly elementCount: number;
  /** N: first packet of a coded video sequence. */
  readonly newCodedVideoSequence: boolean;
}

export function decodeAv1AggregationHeader(byte: number): Av1AggregationHeader {
  return {
    continuesFragment: (byte & 0x80) !== 0,
    fragmentContinues: (byte & 0x40) !== 0,
    elementCount: (byte >> 4) & 3,
    newCodedVideoSequence: (byte & 0x08) !== 0,
  };
}

export function encodeAv1AggregationHeader(h: Av1AggregationHeader): number {
  return (
    (h.continuesFragment ? 0x80 : 0) |
    (h.fragmentContinues ? 0x40 : 0) |
    ((h.elementCount & 3) << 4) |
    (h.newCodedVideoSequence ? 0x08 : 0)
  );
}

/** Facts about one temporal unit: key frame, and the sequence header if it carries one. */
export function inspectAv1TemporalUnit(
  obus: readonly Obu[],
  known?: Av1SequenceHeader,
): {
  keyframe: boolean;
  sequenceHeader: Av1SequenceHeader | undefined;
} {
  let seq: Av1SequenceHeader | undefined;
  let keyframe = false;
  for (const obu of obus) {
    if (obu.type === ObuType.sequenceHeader) seq = parseAv1SequenceHeader(obu.payload);
    else if ((obu.type === ObuType.frame || obu.type === ObuType.frameHeader) && !keyframe) {
      const header = seq ?? known;
      keyframe = isAv1KeyFrameHeader(obu.payload, header?.reducedStillPictureHeader ?? false);
      break;
    }
  }
  return { keyframe: keyframe && seq !== undefined, sequenceHeader: seq };
}

/** OBU element: header with `obu_has_size_field` cleared, then the payload (AV1 RTP spec §4.3). */
function toElement(obu: Obu): Uint8Array {
  const el = new Uint8Array(obu.header.byteLength + obu.payload.byteLength);
  el.set(obu.header);
  el[0] = (obu.header[0] as number) & ~0x02;
  el.set(obu.payload, obu.header.byteLength);
  return el;
}

export interface Av1PacketizerOptions {
  readonly maxPayloadSize: number;
}

/**
 * AV1 packetizer. `packetize` takes one temporal unit in low-overhead bitstream format (what
 * encoders and IVF/OBU files carry). Temporal delimiters, tile lists and padding are dropped
 * (AV1 RTP spec §5); OBUs are sent without size fields and fragmented across packets as needed.
 */
export class Av1Packetizer implements Packetizer {
  readonly maxPayloadSize: number;

  constructor(options: Av1PacketizerOptions) {
    if (options.maxPayloadSize < 4) throw new InvalidArgumentError('maxPayloadSize too small for AV1');
    this.maxPayloadSize = options.maxPayloadSize;
  }

  packetize(temporalUnit: Uint8Array): RtpPayload[] {
    const obus = splitObus(temporalUnit).filter(
      (o) => o.type !== ObuType.temporalDelimiter && o.type !== ObuType.tileList && o.type !== ObuType.padding,
    );
    if (obus.length === 0) return [];
    let keyframe = false;
    try {
      const inspected = inspectAv1TemporalUnit(obus);
      keyframe = inspected.keyframe && inspected.sequenceHeader !== undefined;
    } catch (err) {
      if (!isParseError(err)) throw err; // an unparsable header only costs the N bit
    }
    const elements = obus.map(toElement);
    // Fill packets greedily, budgeting a length field for every element (W = 0 form).
    const packets: { parts: Uint8Array[]; z: boolean; y: boolean }[] = [];
    let current = { parts: [] as Uint8Array[], z: false, y: false };
    let used = 1;
    for (const el of elements) {
      let rest = el;
      while (rest.byteLength > 0) {
        const space = this.maxPayloadSize - used;
        if (leb128Size(rest.byteLength) + rest.byteLength <= space) {
          current.parts.push(rest);
          used += leb128Size(rest.byteLength) + rest.byteLength;
          rest = rest.subarray(rest.byteLength);
          break;
        }
        let take = space - leb128Size(space);
        if (take > 0 && leb128Size(take) + take > space) take--;
        if (take > 0) {
          current.parts.push(rest.subarray(0, take));
          rest = rest.subarray(take);
          current.y = true;
        }
        if (current.parts.length > 0) packets.push(current);
        current = { parts: [], z: take > 0, y: false };
        used = 1;
      }
    }
    if (current.parts.length > 0) packets.push(current);
    return packets.map((p, i) => ({
      payload: encodeAv1Packet(p.parts, p.z, p.y, i === 0 && keyframe),
      marker: i === packets.length - 1,
    }));
  }
}

function encodeAv1Packet(parts: readonly Uint8Array[], z: boolean, y: boolean, n: boolean): Uint8Array {
  const w = parts.length <= 3 ? parts.length : 0;
  let size = 1;
  parts.forEach((p, i) => {
    size += p.byteLength + (w === 0 || i < parts.length - 1 ? leb128Size(p.byteLength) : 0);
  });
  const out = new Uint8Array(size);
  out[0] = encodeAv1AggregationHeader({
    continuesFragment: z,
    fragmentContinues: y,
    elementCount: w,
    newCodedVideoSequence: n,
  });
  let at = 1;
  parts.forEach((p, i) => {
    if (w === 0 || i < parts.length - 1) at += writeLeb128(out, at, p.byteLength);
    out.set(p, at);
    at += p.byteLength;
  });
  return out;
}

export interface Av1Payload extends DepacketizedPayload {
  readonly header: Av1AggregationHeader;
  readonly elements: readonly Uint8Array[];
}

/** Parse an AV1 RTP payload into its aggregation header and OBU elements. */
export function decodeAv1Payload(payload: Uint8Array): { header: Av1AggregationHeader; elements: Uint8Array[] } {
  const first = payload[0];
  if (first === undefined) throw new ParseError('truncated', 'empty AV1 payload', 0);
  const header = decodeAv1AggregationHeader(first);
  const elements: Uint8Array[] = [];
  let at = 1;
  while (at < payload.byteLength) {
    const last = header.elementCount !== 0 && elements.length === header.elementCount - 1;
    let size = payload.byteLength - at;
    if (!last) {
      const len = readLeb128(payload, at);
      at += len.length;
      size = len.value;
      if (at + size > payload.byteLength) throw new ParseError('truncated', 'OBU element runs past the end', at);
    }
    elements.push(payload.subarray(at, at + size));
    at += size;
    if (last) break;
  }
  if (elements.length === 0) throw new ParseError('av1_no_elements', 'AV1 payload without OBU elements', 1);
  if (header.elementCount !== 0 && elements.length !== header.elementCount) {
    throw new ParseError('av1_element_count', 'fewer OBU elements than W says', at);
  }
  return { header, elements };
}

/**
 * AV1 depacketizer for `FrameAssembler`: joins OBU fragments across packets and emits a temporal
 * unit in low-overhead bitstream format, led by a temporal delimiter, every OBU with a size field.
 * Key frame: N bit, or a sequence header plus a KEY_FRAME frame header.
 */
export class Av1Depacketizer implements Depacketizer<Av1Payload> {
  private sequenceHeader: Av1SequenceHeader | undefined;

  parse(payload: Uint8Array): Av1Payload {
    const { header, elements } = decodeAv1Payload(payload);
    return { frameStart: header.continuesFragment ? false : undefined, header, elements };
  }

  assemble(parts: readonly Av1Payload[]): AssembledMedia | undefined {
    const obuBytes: Uint8Array[] = [];
    let fragment: Uint8Array[] | undefined;
    for (const part of parts) {
      part.elements.forEach((el, i) => {
        const continues = i === 0 && part.header.continuesFragment;
        if (continues && fragment === undefined)
          throw new ParseError('av1_orphan_fragment', 'continuation without start', 0);
        if (!continues && fragment !== undefined)
          throw new ParseError('av1_open_fragment', 'fragment not continued', 0);
        const pieces = fragment ?? [];
        pieces.push(el);
        if (i === part.elements.length - 1 && part.header.fragmentContinues) fragment = pieces;
        else {
          obuBytes.push(pieces.length === 1 ? (pieces[0] as Uint8Array) : concatBytes(...pieces));
          fragment = undefined;
        }
      });
    }
    if (fragment !== undefined) return undefined;
    const obus: Obu[] = [{ type: ObuType.temporalDelimiter, header: Uint8Array.of(0x12), payload: new Uint8Array() }];
    for (const bytes of obuBytes) {
      const { obu, next } = readObu(bytes, 0);
      if (next !== bytes.byteLength && (bytes[0] as number) & 0x02) {
        throw new ParseError('av1_trailing', 'bytes after a sized OBU element', next);
      }
      if (obu.type !== ObuType.temporalDelimiter) obus.push(obu);
    }
    let inspected: ReturnType<typeof inspectAv1TemporalUnit>;
    try {
      inspected = inspectAv1TemporalUnit(obus, this.sequenceHeader);
    } catch (err) {
      if (!isParseError(err)) throw err;
      inspected = { keyframe: false, sequenceHeader: undefined };
    }
    if (inspected.sequenceHeader) this.sequenceHeader = inspected.sequenceHeader;
    const keyframe = (parts[0] as Av1Payload).header.newCodedVideoSequence || inspected.keyframe;
    const data = joinObus(obus);
    const seq = this.sequenceHeader;
    if (keyframe && seq) return { data, keyframe, width: seq.maxWidth, height: seq.maxHeight };
    return { data, keyframe };
  }
}
