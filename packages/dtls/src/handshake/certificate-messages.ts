import { ByteReader, ByteWriter, ParseError } from '@rtcwire/common';
import {
  expectEnd,
  readU16List,
  readU8List,
  readVec16,
  readVec24,
  writeU16List,
  writeU8List,
  writeVec16,
  writeVec24,
} from './vectors.js';

/** Certificate (RFC 5246 §7.4.2): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
export function encodeCertificate(chain: readonly Uint8Array[]): Uint8Array {
  const w = new ByteWriter(2048);
  const at = w.reserve(3);
  for (const c of chain) writeVec24(w, c);
  w.patchUint(at, 3, w.length - 3);
  return w.finish().slice();
}

export function decodeCertificate(data: Uint8Array): Uint8Array[] {
  const r = new ByteReader(data);
  const list = new ByteReader(readVec24(r));
  expectEnd(r, 'Certificate');
  const out: Uint8Array[] = [];
  while (list.remaining > 0) {
    const c = readVec24(list);
    if (c.byteLength === 0) throw new ParseError('invalid_length', 'empty certificate', list.offset);
    out.push(c);
  }
  return out;
}

/** ClientCertificateType (RFC 5246 §7.4.4, RFC 8422 §5.5). */
export const ClientCertificateType = { rsa_sign: 1, ecdsa_sign: 64 } as const;

/** CertificateRequest (RFC 5246 §7.4.4). */
export interface CertificateRequest {
  readonly certificateTypes: readonly number[];
  readonly signatureAlgorithms: readonly number[];
  /** DER DistinguishedNames. */
  readonly certificateAuthorities: readonly Uint8Array[];
}

export function encodeCertificateRequest(m: CertificateRequest): Uint8Array {
  const w = new ByteWriter(64);
  writeU8List(w, m.certificateTypes);
  writeU16List(w, m.signatureAlgorithms);
  const at = w.reserve(2);
  for (const dn of m.certificateAuthorities) writeVec16(w, dn);
  w.patchUint(at, 2, w.length - at - 2);
  return w.finish().slice();
}

export function decodeCertificateRequest(data: Uint8Array): CertificateRequest {
  const r = new ByteReader(data);
  const certificateTypes = readU8List(r, 1);
  const signatureAlgorithms = readU16List(r, 1);
  const cas = new ByteReader(readVec16(r));
  expectEnd(r, 'CertificateRequest');
  const certificateAuthorities: Uint8Array[] = [];
  while (cas.remaining > 0) certificateAuthorities.push(readVec16(cas));
  return { certificateTypes, signatureAlgorithms, certificateAuthorities };
}

/** DigitallySigned (RFC 5246 §4.7): SignatureAndHashAlgorithm + signature<0..2^16-1>. */
export interface DigitallySigned {
  readonly algorithm: number;
  readonly signature: Uint8Array;
}

export function writeDigitallySigned(w: ByteWriter, m: DigitallySigned): void {
  w.u16(m.algorithm);
  writeVec16(w, m.signature);
}

export function readDigitallySigned(r: ByteReader): DigitallySigned {
  const algorithm = r.u16();
  return { algorithm, signature: readVec16(r) };
}

/** CertificateVerify (RFC 5246 §7.4.8). */
export function encodeCertificateVerify(m: DigitallySigned): Uint8Array {
  const w = new ByteWriter(8 + m.signature.byteLength);
  writeDigitallySigned(w, m);
  return w.finish().slice();
}

export function decodeCertificateVerify(data: Uint8Array): DigitallySigned {
  const r = new ByteReader(data);
  const m = readDigitallySigned(r);
  expectEnd(r, 'CertificateVerify');
  return m;
}

/** Finished (RFC 5246 §7.4.9): verify_data, 12 bytes for every suite here. */
export function decodeFinished(data: Uint8Array): Uint8Array {
  if (data.byteLength !== 12) throw new ParseError('invalid_length', `Finished of ${data.byteLength} bytes`, 0);
  return data;
}
