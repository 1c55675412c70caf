import { ByteReader, ParseError } from '@rtcwire/common';
import { RECORD_HEADER_LENGTH, MAX_CIPHERTEXT } from './constants.js';

/** One DTLSPlaintext / DTLSCiphertext record (RFC 6347 §4.1). `fragment` is a view into the datagram. */
export interface DtlsRecord {
  readonly contentType: number;
  readonly version: number;
  readonly epoch: number;
  /** 48-bit sequence number. */
  readonly sequenceNumber: number;
  readonly fragment: Uint8Array;
}

/**
 * Split a datagram into records (RFC 6347 §4.1.1: several records may share a datagram, none may
 * span two). Throws ParseError on a truncated or oversized record.
 */
export function decodeRecords(datagram: Uint8Array): DtlsRecord[] {
  const out: DtlsRecord[] = [];
  const r = new ByteReader(datagram);
  while (r.remaining > 0) out.push(decodeRecord(r));
  return out;
}

export function decodeRecord(r: ByteReader): DtlsRecord {
  const contentType = r.u8();
  const version = r.u16();
  if (version >> 8 !== 0xfe)
    throw new ParseError('bad_version', `not a DTLS version: 0x${version.toString(16)}`, r.offset - 2);
  const epoch = r.u16();
  const sequenceNumber = r.u48();
  const length = r.u16();
  if (length > MAX_CIPHERTEXT) throw new ParseError('record_overflow', `record length ${length}`, r.offset - 2);
  const fragment = r.bytes(length);
  return { contentType, version, epoch, sequenceNumber, fragment };
}

/** Write a record header plus fragment into `out` at `at`; returns the new offset. */
export function writeRecord(
  out: Uint8Array,
  at: number,
  contentType: number,
  version: number,
  epoch: number,
  sequenceNumber: number,
  fragment: Uint8Array,
): number {
  writeRecordHeader(out, at, contentType, version, epoch, sequenceNumber, fragment.byteLength);
  out.set(fragment, at + RECORD_HEADER_LENGTH);
  return at + RECORD_HEADER_LENGTH + fragment.byteLength;
}

export function writeRecordHeader(
  out: Uint8Array,
  at: number,
  contentType: number,
  version: number,
  epoch: number,
  sequenceNumber: number,
  length: number,
): void {
  out[at] = contentType;
  out[at + 1] = version >> 8;
  out[at + 2] = version & 0xff;
  out[at + 3] = epoch >> 8;
  out[at + 4] = epoch & 0xff;
  const hi = Math.floor(sequenceNumber / 2 ** 32);
  out[at + 5] = (hi >> 8) & 0xff;
  out[at + 6] = hi & 0xff;
  out[at + 7] = (sequenceNumber >>> 24) & 0xff;
  out[at + 8] = (sequenceNumber >>> 16) & 0xff;
  out[at + 9] = (sequenceNumber >>> 8) & 0xff;
  out[at + 10] = sequenceNumber & 0xff;
  out[at + 11] = length >> 8;
  out[at + 12] = length & 0xff;
}

/** Encode one record into a fresh array. */
export function encodeRecord(rec: DtlsRecord): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_LENGTH + rec.fragment.byteLength);
  writeRecord(out, 0, rec.contentType, rec.version, rec.epoch, rec.sequenceNumber, rec.fragment);
  return out;
}
