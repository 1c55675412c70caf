import { ByteReader, ByteWriter, ParseError } from '@rtcwire/common';
import { ExtensionType } from '../constants.js';
import {
  expectEnd,
  readU16List,
  readU8List,
  readVec16,
  readVec8,
  writeU16List,
  writeU8List,
  writeVec16,
  writeVec8,
} from './vectors.js';

/** A raw hello extension; unknown types are carried through untouched (and ignored). */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

export function decodeExtensions(r: ByteReader): Extension[] {
  const block = readVec16(r);
  const er = new ByteReader(block);
  const out: Extension[] = [];
  while (er.remaining > 0) {
    const type = er.u16();
    out.push({ type, data: readVec16(er) });
  }
  return out;
}

export function encodeExtensions(w: ByteWriter, extensions: readonly Extension[]): void {
  const at = w.reserve(2);
  const start = w.length;
  for (const e of extensions) {
    w.u16(e.type);
    writeVec16(w, e.data);
  }
  w.patchUint(at, 2, w.length - start);
}

export function findExtension(extensions: readonly Extension[], type: number): Extension | undefined {
  return extensions.find((e) => e.type === type);
}

function build(fn: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(32);
  fn(w);
  return w.finish().slice();
}

/** supported_groups (RFC 8422 §5.1.1). */
export function encodeSupportedGroups(groups: readonly number[]): Extension {
  return { type: ExtensionType.supported_groups, data: build((w) => writeU16List(w, groups)) };
}
export function decodeSupportedGroups(data: Uint8Array): number[] {
  const r = new ByteReader(data);
  const v = readU16List(r, 1);
  expectEnd(r, 'supported_groups');
  return v;
}

/** ec_point_formats (RFC 8422 §5.1.2): uncompressed only. */
export function encodeEcPointFormats(formats: readonly number[] = [0]): Extension {
  return { type: ExtensionType.ec_point_formats, data: build((w) => writeU8List(w, formats)) };
}
export function decodeEcPointFormats(data: Uint8Array): number[] {
  const r = new ByteReader(data);
  const v = readU8List(r, 1);
  expectEnd(r, 'ec_point_formats');
  return v;
}

/** signature_algorithms (RFC 5246 §7.4.1.4.1), as u16 SignatureScheme codes. */
export function encodeSignatureAlgorithms(schemes: readonly number[]): Extension {
  return { type: ExtensionType.signature_algorithms, data: build((w) => writeU16List(w, schemes)) };
}
export function decodeSignatureAlgorithms(data: Uint8Array): number[] {
  const r = new ByteReader(data);
  const v = readU16List(r, 1);
  expectEnd(r, 'signature_algorithms');
  return v;
}

/** use_srtp (RFC 5764 §4.1.1): profiles + srtp_mki. */
export interface UseSrtp {
  readonly profiles: readonly number[];
  readonly mki: Uint8Array;
}
export function encodeUseSrtp(v: UseSrtp): Extension {
  return {
    type: ExtensionType.use_srtp,
    data: build((w) => {
      writeU16List(w, v.profiles);
      writeVec8(w, v.mki);
    }),
  };
}
export function decodeUseSrtp(data: Uint8Array): UseSrtp {
  const r = new ByteReader(data);
  const profiles = readU16List(r, 1);
  const mki = readVec8(r);
  expectEnd(r, 'use_srtp');
  return { profiles, mki };
}

/** extended_master_secret (RFC 7627 §5.1): empty. */
export function encodeExtendedMasterSecret(): Extension {
  return { type: ExtensionType.extended_master_secret, data: new Uint8Array(0) };
}

/** renegotiation_info (RFC 5746 §3.2): renegotiated_connection<0..255>; empty on an initial handshake. */
export function encodeRenegotiationInfo(verifyData: Uint8Array = new Uint8Array(0)): Extension {
  return { type: ExtensionType.renegotiation_info, data: build((w) => writeVec8(w, verifyData)) };
}
export function decodeRenegotiationInfo(data: Uint8Array): Uint8Array {
  const r = new ByteReader(data);
  const v = readVec8(r);
  expectEnd(r, 'renegotiation_info');
  return v;
}

/** Reject duplicate extension types (RFC 5246 §7.4.1.4). */
export function checkNoDuplicates(extensions: readonly Extension[]): void {
  const seen = new Set<number>();
  for (const e of extensions) {
    if (seen.has(e.type)) throw new ParseError('duplicate_extension', `extension ${e.type} repeated`, 0);
    seen.add(e.type);
  }
}
