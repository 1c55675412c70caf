import { ByteReader, ByteWriter, ParseError } from '@rtcwire/common';
import { type Extension, decodeExtensions, encodeExtensions } from './extensions.js';
import { expectEnd, readU16List, readU8List, readVec8, writeU16List, writeU8List, writeVec8 } from './vectors.js';

/** ClientHello (RFC 6347 §4.2.1: TLS 1.2 ClientHello plus a cookie). */
export interface ClientHello {
  readonly clientVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cookie: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: readonly number[];
  readonly extensions: readonly Extension[];
}

export function encodeClientHello(m: ClientHello): Uint8Array {
  const w = new ByteWriter(256);
  w.u16(m.clientVersion).bytes(m.random);
  writeVec8(w, m.sessionId);
  writeVec8(w, m.cookie);
  writeU16List(w, m.cipherSuites);
  writeU8List(w, m.compressionMethods);
  if (m.extensions.length > 0) encodeExtensions(w, m.extensions);
  return w.finish().slice();
}

export function decodeClientHello(data: Uint8Array): ClientHello {
  const r = new ByteReader(data);
  const clientVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = readVec8(r);
  if (sessionId.byteLength > 32) throw new ParseError('invalid_length', 'session_id > 32 bytes', r.offset);
  const cookie = readVec8(r);
  const cipherSuites = readU16List(r, 1);
  const compressionMethods = readU8List(r, 1);
  const extensions = r.remaining > 0 ? decodeExtensions(r) : [];
  expectEnd(r, 'ClientHello');
  return { clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods, extensions };
}

/** HelloVerifyRequest (RFC 6347 §4.2.1). */
export interface HelloVerifyRequest {
  readonly serverVersion: number;
  readonly cookie: Uint8Array;
}

export function encodeHelloVerifyRequest(m: HelloVerifyRequest): Uint8Array {
  const w = new ByteWriter(40);
  w.u16(m.serverVersion);
  writeVec8(w, m.cookie);
  return w.finish().slice();
}

export function decodeHelloVerifyRequest(data: Uint8Array): HelloVerifyRequest {
  const r = new ByteReader(data);
  const serverVersion = r.u16();
  const cookie = readVec8(r);
  if (cookie.byteLength > 255) throw new ParseError('invalid_length', 'cookie too long', r.offset);
  expectEnd(r, 'HelloVerifyRequest');
  return { serverVersion, cookie };
}

/** ServerHello (RFC 5246 §7.4.1.3). */
export interface ServerHello {
  readonly serverVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly extensions: readonly Extension[];
}

export function encodeServerHello(m: ServerHello): Uint8Array {
  const w = new ByteWriter(128);
  w.u16(m.serverVersion).bytes(m.random);
  writeVec8(w, m.sessionId);
  w.u16(m.cipherSuite).u8(m.compressionMethod);
  if (m.extensions.length > 0) encodeExtensions(w, m.extensions);
  return w.finish().slice();
}

export function decodeServerHello(data: Uint8Array): ServerHello {
  const r = new ByteReader(data);
  const serverVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = readVec8(r);
  if (sessionId.byteLength > 32) throw new ParseError('invalid_length', 'session_id > 32 bytes', r.offset);
  const cipherSuite = r.u16();
  const compressionMethod = r.u8();
  const extensions = r.remaining > 0 ? decodeExtensions(r) : [];
  expectEnd(r, 'ServerHello');
  return { serverVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}
