import { fromHex, InvalidArgumentError, isParseError, ParseError, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  decodeRtpPacket,
  encodeRtpPacket,
  encodeRtpPacketInto,
  findHeaderExtension,
  isRtcpPacket,
  type RtpPacket,
  readRtpHeader,
  rtpCsrc,
  rtpHeaderLength,
  rtpMarker,
  rtpPacketSize,
  rtpPayloadType,
  rtpSequenceNumber,
  rtpSsrc,
  rtpTimestamp,
  setRtpMarker,
  setRtpPayloadType,
  setRtpSequenceNumber,
  setRtpSsrc,
  setRtpTimestamp,
  tryDecodeRtpPacket,
} from '../src/index.js';

// Hand-derived from the RFC 3550 §5.1 and RFC 8285 §4.2 layouts, shaped like a Chrome Opus packet
// (tshark 4.0's RTP dissector decodes the same fields and one-byte elements from these bytes):
// 90        V=2 P=0 X=1 CC=0
// ef        M=1 PT=111
// 1234      sequence number
// deadbeef  timestamp
// 12345678  SSRC
// bede 0002 one-byte extension profile, 2 words
// 10 85     id 1 (audio level) L=0 -> 1 byte: V=1, level 5
// 31 002a   id 3 (transport-cc) L=1 -> 2 bytes: 42
// 000000    padding to a word
// aabbcc    payload
const OPUS_WITH_EXTENSIONS = fromHex('90ef1234deadbeef12345678bede0002108531002a000000aabbcc');

// CC=2, P=1 with 4 padding bytes, no extension, marker 0, PT 96.
// a2 60 0001 00000064 0000000a | 00000001 00000002 | 0102 | 00000004
const WITH_CSRCS_AND_PADDING = fromHex('a2600001 00000064 0000000a 00000001 00000002 0102 00000004');

describe('readRtpHeader', () => {
  it('reads fields and offsets of a packet with one-byte extensions', () => {
    const h = readRtpHeader(OPUS_WITH_EXTENSIONS);
    expect(h).toEqual({
      padding: false,
      marker: true,
      payloadType: 111,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x12345678,
      csrcCount: 0,
      hasExtension: true,
      extensionProfile: 0xbede,
      extensionOffset: 16,
      extensionLength: 8,
      payloadOffset: 24,
      payloadLength: 3,
      paddingLength: 0,
    });
  });

  it('reads CSRCs and padding', () => {
    const p = WITH_CSRCS_AND_PADDING;
    expect(p.length).toBe(26);
    const h = readRtpHeader(p);
    expect(h.csrcCount).toBe(2);
    expect(rtpCsrc(p, 0)).toBe(1);
    expect(rtpCsrc(p, 1)).toBe(2);
    expect(h.padding).toBe(true);
    expect(h.paddingLength).toBe(4);
    expect(h.payloadOffset).toBe(20);
    expect(h.payloadLength).toBe(2);
  });

  it('single-field getters and setters rewrite in place', () => {
    const p = OPUS_WITH_EXTENSIONS.slice();
    expect([rtpMarker(p), rtpPayloadType(p), rtpSequenceNumber(p), rtpTimestamp(p), rtpSsrc(p)]).toEqual([
      true,
      111,
      0x1234,
      0xdeadbeef,
      0x12345678,
    ]);
    setRtpSsrc(p, 0xcafebabe);
    setRtpSequenceNumber(p, 0xfffe);
    setRtpTimestamp(p, 0xffffffff);
    setRtpPayloadType(p, 96);
    setRtpMarker(p, false);
    expect(toHex(p.subarray(0, 12))).toBe('9060fffeffffffffcafebabe');
    setRtpMarker(p, true);
    setRtpPayloadType(p, 0x7f);
    expect(p[1]).toBe(0xff);
    // the rest of the packet is untouched
    expect(p.subarray(12)).toEqual(OPUS_WITH_EXTENSIONS.subarray(12));
  });

  it.each([
    ['empty', '', 'truncated', 0],
    ['11 bytes', '8060000100000000000000', 'truncated', 11],
    ['version 1', '406000010000000000000001', 'bad_version', 0],
    ['CSRCs past end', '836000010000000000000001000000010000000200', 'truncated', 12],
    ['extension header past end', '906000010000000000000001bede', 'truncated', 12],
    ['extension data past end', '906000010000000000000001bede000210850000', 'truncated', 16],
    ['padding count 0', 'a06000010000000000000001aa00', 'invalid_padding', 13],
    ['padding longer than packet body', 'a06000010000000000000001aa03', 'invalid_padding', 13],
  ])('rejects %s', (_name, hex, code, offset) => {
    const bytes = fromHex(hex);
    let caught: unknown;
    try {
      readRtpHeader(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).code).toBe(code);
    expect((caught as ParseError).offset).toBe(offset);
    expect(tryDecodeRtpPacket(bytes)).toBeUndefined();
  });

  it('accepts padding that fills the whole body', () => {
    const h = readRtpHeader(fromHex('a0600001000000000000000100000004'));
    expect(h.payloadLength).toBe(0);
    expect(h.paddingLength).toBe(4);
  });
});

describe('rtpHeaderLength', () => {
  it('measures the header and ignores padding', () => {
    expect(rtpHeaderLength(OPUS_WITH_EXTENSIONS)).toBe(24);
    expect(rtpHeaderLength(WITH_CSRCS_AND_PADDING)).toBe(20);
    // P=1 with a zero last byte: readRtpHeader refuses it, the header length is still known
    const srtpLike = fromHex('a06000010000000000000001aa00');
    expect(() => readRtpHeader(srtpLike)).toThrow(ParseError);
    expect(rtpHeaderLength(srtpLike)).toBe(12);
  });

  it.each([
    ['8060000100000000000000', 'truncated'],
    ['406000010000000000000001', 'bad_version'],
    ['906000010000000000000001bede', 'truncated'],
    ['906000010000000000000001bede0002108500', 'truncated'],
  ])('rejects %s', (hex, code) => {
    expect(() => rtpHeaderLength(fromHex(hex))).toThrow(expect.objectContaining({ code }));
  });
});

describe('decodeRtpPacket / encodeRtpPacket', () => {
  it('decodes the golden packet without copying the payload', () => {
    const p = decodeRtpPacket(OPUS_WITH_EXTENSIONS);
    expect(p.extensions.map((e) => [e.id, toHex(e.data)])).toEqual([
      [1, '85'],
      [3, '002a'],
    ]);
    expect(toHex(p.payload)).toBe('aabbcc');
    expect(p.payload.buffer).toBe(OPUS_WITH_EXTENSIONS.buffer);
    expect(p.payload.byteOffset).toBe(24);
    expect(p.rawExtension).toBeUndefined();
    expect(encodeRtpPacket(p)).toEqual(OPUS_WITH_EXTENSIONS);
  });

  it('round-trips CSRCs and padding', () => {
    const p = decodeRtpPacket(WITH_CSRCS_AND_PADDING);
    expect(p.csrcs).toEqual([1, 2]);
    expect(p.paddingLength).toBe(4);
    expect(encodeRtpPacket(p)).toEqual(WITH_CSRCS_AND_PADDING);
  });

  it('switches to the two-byte form for id > 14, empty or > 16-byte data (RFC 8285 §4.3)', () => {
    const base: RtpPacket = {
      marker: false,
      payloadType: 96,
      sequenceNumber: 1,
      timestamp: 2,
      ssrc: 3,
      csrcs: [],
      extensions: [{ id: 15, data: fromHex('ab') }],
      payload: fromHex('01'),
      paddingLength: 0,
    };
    // 9060 0001 00000002 00000003 | 1000 0001 | 0f 01 ab 00 | 01
    expect(toHex(encodeRtpPacket(base))).toBe('906000010000000200000003100000010f01ab0001');
    const long = { ...base, extensions: [{ id: 2, data: new Uint8Array(17) }] };
    expect(readRtpHeader(encodeRtpPacket(long)).extensionProfile).toBe(0x1000);
    const empty = { ...base, extensions: [{ id: 2, data: new Uint8Array(0) }] };
    const bytes = encodeRtpPacket(empty);
    expect(toHex(bytes.subarray(12, 20))).toBe('1000000102000000');
    expect(decodeRtpPacket(bytes).extensions).toEqual([{ id: 2, data: new Uint8Array(0) }]);
    // forcing one-byte with an id the form cannot carry is local misuse
    expect(() => encodeRtpPacket(base, { extensionForm: 'one-byte' })).toThrow(InvalidArgumentError);
    // forcing two-byte for elements that would fit one-byte
    const small = { ...base, extensions: [{ id: 1, data: fromHex('ff') }] };
    expect(toHex(encodeRtpPacket(small, { extensionForm: 'two-byte' }).subarray(12, 20))).toBe('100000010101ff00');
  });

  it('keeps a non-RFC 8285 extension block raw', () => {
    // profile 0xabcd with one word of data
    const bytes = fromHex('906000010000000200000003abcd000111223344ff');
    const p = decodeRtpPacket(bytes);
    expect(p.extensions).toEqual([]);
    expect(p.rawExtension?.profile).toBe(0xabcd);
    expect(toHex(p.rawExtension?.data ?? new Uint8Array())).toBe('11223344');
    expect(encodeRtpPacket(p)).toEqual(bytes);
  });

  it('skips one-byte padding and stops at the reserved id 15 (RFC 8285 §4.2)', () => {
    // bede 0002 | 00 10 aa 00 | f0 20 bb 00  -> only id 1 is read
    const bytes = fromHex('906000010000000200000003bede00020010aa00f020bb00');
    expect(decodeRtpPacket(bytes).extensions.map((e) => e.id)).toEqual([1]);
  });

  it('treats a one-byte element with ID 0 as a single padding byte', () => {
    // bede 0001 | 05 10 aa 00 : 0x05 has ID 0 (padding) with a stray length nibble, then id 1
    const bytes = fromHex('906000010000000200000003bede00010510aa00');
    expect(decodeRtpPacket(bytes).extensions).toEqual([{ id: 1, data: fromHex('aa') }]);
    expect(findHeaderExtension(bytes, readRtpHeader(bytes), 1)).toEqual(fromHex('aa'));
  });

  it('rejects an element overrunning its block', () => {
    // one-byte element id 1 declaring 4 bytes in a 4-byte block
    const bytes = fromHex('906000010000000200000003bede000113aabbcc');
    expect(() => decodeRtpPacket(bytes)).toThrow(ParseError);
    try {
      decodeRtpPacket(bytes);
    } catch (err) {
      expect(isParseError(err, 'invalid_extension')).toBe(true);
      expect((err as ParseError).offset).toBe(16);
    }
    // two-byte element header cut by the block end
    expect(() => decodeRtpPacket(fromHex('906000010000000200000003100000010000000f'))).toThrow(ParseError);
  });

  it('returns independent outputs from consecutive encodes', () => {
    const p = decodeRtpPacket(OPUS_WITH_EXTENSIONS);
    const outputs = Array.from({ length: 200 }, (_, i) => encodeRtpPacket({ ...p, sequenceNumber: i }));
    outputs.forEach((out, i) => {
      expect(out.length).toBe(OPUS_WITH_EXTENSIONS.length);
      expect(rtpSequenceNumber(out)).toBe(i);
      expect(out.subarray(4)).toEqual(OPUS_WITH_EXTENSIONS.subarray(4));
    });
    // a large packet gets its own buffer
    const big = encodeRtpPacket({ ...p, payload: new Uint8Array(5000).fill(7) });
    expect(big.byteOffset).toBe(0);
    expect(decodeRtpPacket(big).payload).toEqual(new Uint8Array(5000).fill(7));
  });

  it('encodes into a caller buffer at an offset', () => {
    const p = decodeRtpPacket(OPUS_WITH_EXTENSIONS);
    const out = new Uint8Array(100).fill(0xee);
    const n = encodeRtpPacketInto(p, out, 10);
    expect(n).toBe(rtpPacketSize(p));
    expect(out.subarray(10, 10 + n)).toEqual(OPUS_WITH_EXTENSIONS);
    expect(out[9]).toBe(0xee);
    expect(out[10 + n]).toBe(0xee);
    expect(() => encodeRtpPacketInto(p, new Uint8Array(n - 1))).toThrow(InvalidArgumentError);
  });

  it('writes nothing when an extension element is invalid', () => {
    const p = decodeRtpPacket(OPUS_WITH_EXTENSIONS);
    const out = new Uint8Array(64).fill(0xee);
    const bad = { ...p, extensions: [{ id: 256, data: fromHex('01') }] };
    expect(() => encodeRtpPacketInto(bad, out)).toThrow(InvalidArgumentError);
    expect(out.every((b) => b === 0xee)).toBe(true);
  });

  it('rejects invalid fields when encoding', () => {
    const p = decodeRtpPacket(OPUS_WITH_EXTENSIONS);
    expect(() => encodeRtpPacket({ ...p, payloadType: 128 })).toThrow(InvalidArgumentError);
    expect(() => encodeRtpPacket({ ...p, sequenceNumber: 65536 })).toThrow(InvalidArgumentError);
    expect(() => encodeRtpPacket({ ...p, ssrc: -1 })).toThrow(InvalidArgumentError);
    expect(() => encodeRtpPacket({ ...p, csrcs: new Array(16).fill(1) })).toThrow(InvalidArgumentError);
    expect(() => encodeRtpPacket({ ...p, paddingLength: 256 })).toThrow(InvalidArgumentError);
    expect(() => encodeRtpPacket({ ...p, rawExtension: { profile: 1, data: new Uint8Array(4) } })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      encodeRtpPacket({ ...p, extensions: [], rawExtension: { profile: 1, data: new Uint8Array(3) } }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('findHeaderExtension', () => {
  it('returns a writable view into the packet', () => {
    const p = OPUS_WITH_EXTENSIONS.slice();
    const h = readRtpHeader(p);
    const twcc = findHeaderExtension(p, h, 3);
    expect(twcc && toHex(twcc)).toBe('002a');
    twcc?.set([0x01, 0x02]);
    expect(decodeRtpPacket(p).extensions[1]?.data).toEqual(fromHex('0102'));
    expect(findHeaderExtension(p, h, 2)).toBeUndefined();
  });

  it('works for the two-byte form and returns undefined for raw blocks', () => {
    const two = fromHex('906000010000000200000003100000010f01ab0001');
    expect(findHeaderExtension(two, readRtpHeader(two), 15)).toEqual(fromHex('ab'));
    const raw = fromHex('906000010000000200000003abcd000111223344ff');
    expect(findHeaderExtension(raw, readRtpHeader(raw), 1)).toBeUndefined();
    const none = fromHex('806000010000000200000003ff');
    expect(findHeaderExtension(none, readRtpHeader(none), 1)).toBeUndefined();
  });
});

describe('isRtcpPacket (RFC 5761 §4)', () => {
  it('separates RTCP from RTP', () => {
    expect(isRtcpPacket(fromHex('80c8000600000001'))).toBe(true); // SR
    expect(isRtcpPacket(fromHex('81cd0002'))).toBe(true); // RTPFB
    expect(isRtcpPacket(OPUS_WITH_EXTENSIONS)).toBe(false);
    expect(isRtcpPacket(fromHex('80e0'))).toBe(false);
  });
});
