import { ByteReader, ByteWriter, ParseError } from '@rtcwire/common';

/** Layer indices (RFC 9628 §4.2, L bit): TID, U, SID, D, and TL0PICIDX in non-flexible mode. */
export interface Vp9LayerInfo {
  readonly temporalId: number;
  readonly switchingUpPoint: boolean;
  readonly spatialId: number;
  readonly interLayerDependency: boolean;
  readonly tl0PicIdx?: number;
}

/** One picture group entry of the scalability structure (RFC 9628 §4.2.1, G bit). */
export interface Vp9PictureGroupEntry {
  readonly temporalId: number;
  readonly switchingUpPoint: boolean;
  readonly referenceDiffs: readonly number[];
}

/** Scalability structure (RFC 9628 §4.2.1, V bit). */
export interface Vp9ScalabilityStructure {
  readonly spatialLayers: number;
  /** Y bit: the resolution of each spatial layer. */
  readonly resolutions?: readonly { readonly width: number; readonly height: number }[];
  /** G bit: the picture group description. */
  readonly pictureGroup?: readonly Vp9PictureGroupEntry[];
}

/** The VP9 payload descriptor (RFC 9628 §4.2). */
export interface Vp9Descriptor {
  /** P: inter-picture predicted (not a keyframe / intra-only layer frame). */
  readonly interPicturePredicted: boolean;
  /** F: flexible mode. */
  readonly flexibleMode: boolean;
  /** B, E: start and end of a layer frame. */
  readonly beginningOfFrame: boolean;
  readonly endOfFrame: boolean;
  /** Z: not used as reference by upper spatial layers. */
  readonly notReferenceForUpperLayers: boolean;
  readonly pictureId?: number;
  readonly pictureIdBits?: 7 | 15;
  readonly layer?: Vp9LayerInfo;
  /** Flexible mode with P: up to three P_DIFF reference indices. */
  readonly referenceDiffs?: readonly number[];
  readonly scalabilityStructure?: Vp9ScalabilityStructure;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function decodeVp9Descriptor(payload: Uint8Array): { descriptor: Vp9Descriptor; length: number } {
  const r = new ByteReader(payload);
  const b0 = r.u8(); // |I|P|L|F|B|E|V|Z|
  const d: Mutable<Vp9Descriptor> = {
    interPicturePredicted: (b0 & 0x40) !== 0,
    flexibleMode: (b0 & 0x10) !== 0,
    beginningOfFrame: (b0 & 0x08) !== 0,
    endOfFrame: (b0 & 0x04) !== 0,
    notReferenceForUpperLayers: (b0 & 0x01) !== 0,
  };
  if (b0 & 0x80) {
    const p0 = r.u8();
    if (p0 & 0x80) {
      d.pictureId = ((p0 & 0x7f) << 8) | r.u8();
      d.pictureIdBits = 15;
    } else {
      d.pictureId = p0;
      d.pictureIdBits = 7;
    }
  }
  if (b0 & 0x20) {
    const l = r.u8(); // |TID|U|SID|D|
    const layer: Mutable<Vp9LayerInfo> = {
      temporalId: l >> 5,
      switchingUpPoint: (l & 0x10) !== 0,
      spatialId: (l >> 1) & 7,
      interLayerDependency: (l & 1) !== 0,
    };
    if (!d.flexibleMode) layer.tl0PicIdx = r.u8();
    d.layer = layer;
  }
  if (d.flexibleMode && d.interPicturePredicted) {
    // RFC 9628 §4.2: |P_DIFF|N|, N=1 means another follows; at most three.
    const diffs: number[] = [];
    for (;;) {
      const at = r.offset;
      const p = r.u8();
      diffs.push(p >> 1);
      if (!(p & 1)) break;
      if (diffs.length === 3) throw new ParseError('vp9_too_many_refs', 'more than three P_DIFF', at);
    }
    d.referenceDiffs = diffs;
  }
  if (b0 & 0x02) d.scalabilityStructure = decodeSs(r);
  return { descriptor: d, length: r.offset };
}

function decodeSs(r: ByteReader): Vp9ScalabilityStructure {
  const h = r.u8(); // |N_S|Y|G|-|-|-|
  const ss: Mutable<Vp9ScalabilityStructure> = { spatialLayers: (h >> 5) + 1 };
  if (h & 0x10) {
    const resolutions: { width: number; height: number }[] = [];
    for (let i = 0; i < ss.spatialLayers; i++) resolutions.push({ width: r.u16(), height: r.u16() });
    ss.resolutions = resolutions;
  }
  if (h & 0x08) {
    const count = r.u8();
    const group: Vp9PictureGroupEntry[] = [];
    for (let i = 0; i < count; i++) {
      const g = r.u8(); // |TID|U| R |-|-|
      const refs: number[] = [];
      for (let k = 0; k < ((g >> 2) & 3); k++) refs.push(r.u8());
      group.push({ temporalId: g >> 5, switchingUpPoint: (g & 0x10) !== 0, referenceDiffs: refs });
    }
    ss.pictureGroup = group;
  }
  return ss;
}

export function encodeVp9Descriptor(d: Vp9Descriptor): Uint8Array {
  const w = new ByteWriter(16);
  const hasPid = d.pictureId !== undefined;
  w.u8(
    (hasPid ? 0x80 : 0) |
      (d.interPicturePredicted ? 0x40 : 0) |
      (d.layer ? 0x20 : 0) |
      (d.flexibleMode ? 0x10 : 0) |
      (d.beginningOfFrame ? 0x08 : 0) |
      (d.endOfFrame ? 0x04 : 0) |
      (d.scalabilityStructure ? 0x02 : 0) |
      (d.notReferenceForUpperLayers ? 0x01 : 0),
  );
  if (d.pictureId !== undefined) {
    if ((d.pictureIdBits ?? 15) === 15) w.u16(0x8000 | (d.pictureId & 0x7fff));
    else w.u8(d.pictureId & 0x7f);
  }
  if (d.layer) {
    const l = d.layer;
    w.u8(
      (l.temporalId << 5) |
        (l.switchingUpPoint ? 0x10 : 0) |
        ((l.spatialId & 7) << 1) |
        (l.interLayerDependency ? 1 : 0),
    );
    if (!d.flexibleMode) w.u8(l.tl0PicIdx ?? 0);
  }
  if (d.flexibleMode && d.interPicturePredicted) {
    const diffs = d.referenceDiffs ?? [];
    diffs.forEach((p, i) => {
      w.u8(((p & 0x7f) << 1) | (i < diffs.length - 1 ? 1 : 0));
    });
  }
  const ss = d.scalabilityStructure;
  if (ss) {
    w.u8(((ss.spatialLayers - 1) << 5) | (ss.resolutions ? 0x10 : 0) | (ss.pictureGroup ? 0x08 : 0));
    for (const res of ss.resolutions ?? []) w.u16(res.width).u16(res.height);
    if (ss.pictureGroup) {
      w.u8(ss.pictureGroup.length);
      for (const g of ss.pictureGroup) {
        w.u8((g.temporalId << 5) | (g.switchingUpPoint ? 0x10 : 0) | (g.referenceDiffs.length << 2));
        for (const ref of g.referenceDiffs) w.u8(ref);
      }
    }
  }
  return w.finish().slice();
}
