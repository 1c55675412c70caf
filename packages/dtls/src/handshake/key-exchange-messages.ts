import { ByteReader, ByteWriter, ParseError } from '@rtcwire/common';
import { type DigitallySigned, readDigitallySigned, writeDigitallySigned } from './certificate-messages.js';
import { expectEnd, readVec16, readVec8, writeVec16, writeVec8 } from './vectors.js';

/** ECCurveType named_curve (RFC 8422 §5.4). */
export const NAMED_CURVE = 3;

/** ServerECDHParams (RFC 8422 §5.4) — also exactly the bytes covered by the signature. */
export interface EcdheParams {
  readonly group: number;
  readonly publicKey: Uint8Array;
}

export type ServerKeyExchange =
  | ({ readonly kind: 'ecdhe' } & EcdheParams & DigitallySigned)
  | { readonly kind: 'psk'; readonly identityHint: Uint8Array };

export function encodeEcdheParams(p: EcdheParams): Uint8Array {
  const w = new ByteWriter(4 + p.publicKey.byteLength);
  w.u8(NAMED_CURVE).u16(p.group);
  writeVec8(w, p.publicKey);
  return w.finish().slice();
}

export function encodeServerKeyExchange(m: ServerKeyExchange): Uint8Array {
  const w = new ByteWriter(256);
  if (m.kind === 'psk') {
    // RFC 4279 §2: psk_identity_hint<0..2^16-1>
    writeVec16(w, m.identityHint);
  } else {
    w.bytes(encodeEcdheParams(m));
    writeDigitallySigned(w, m);
  }
  return w.finish().slice();
}

/** Decode a ServerKeyExchange; its shape depends on the negotiated key exchange. */
export function decodeServerKeyExchange(data: Uint8Array, kind: 'ecdhe' | 'psk'): ServerKeyExchange {
  const r = new ByteReader(data);
  if (kind === 'psk') {
    const identityHint = readVec16(r);
    expectEnd(r, 'ServerKeyExchange');
    return { kind, identityHint };
  }
  const curveType = r.u8();
  if (curveType !== NAMED_CURVE) throw new ParseError('unsupported_curve_type', `curve type ${curveType}`, 0);
  const group = r.u16();
  const publicKey = readVec8(r);
  if (publicKey.byteLength === 0) throw new ParseError('invalid_length', 'empty ECDH point', r.offset);
  const signed = readDigitallySigned(r);
  expectEnd(r, 'ServerKeyExchange');
  return { kind, group, publicKey, algorithm: signed.algorithm, signature: signed.signature };
}

/** The ECDHE params prefix of a ServerKeyExchange body (what the server signed, after the randoms). */
export function ecdheParamsBytes(data: Uint8Array): Uint8Array {
  return data.subarray(0, 4 + (data[3] ?? 0));
}

export type ClientKeyExchange =
  | { readonly kind: 'ecdhe'; readonly publicKey: Uint8Array }
  | { readonly kind: 'psk'; readonly identity: Uint8Array };

export function encodeClientKeyExchange(m: ClientKeyExchange): Uint8Array {
  const w = new ByteWriter(80);
  if (m.kind === 'psk')
    writeVec16(w, m.identity); // RFC 4279 §2
  else writeVec8(w, m.publicKey); // RFC 8422 §5.7
  return w.finish().slice();
}

export function decodeClientKeyExchange(data: Uint8Array, kind: 'ecdhe' | 'psk'): ClientKeyExchange {
  const r = new ByteReader(data);
  if (kind === 'psk') {
    const identity = readVec16(r);
    expectEnd(r, 'ClientKeyExchange');
    return { kind, identity };
  }
  const publicKey = readVec8(r);
  if (publicKey.byteLength === 0) throw new ParseError('invalid_length', 'empty ECDH point', r.offset);
  expectEnd(r, 'ClientKeyExchange');
  return { kind, publicKey };
}
