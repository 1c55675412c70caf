import { fromHex, InvalidArgumentError, ParseError, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  decodeRtcpPackets,
  encodeRtcpPacket,
  encodeRtcpPackets,
  isFullCompound,
  type RtcpPacket,
  sdesCname,
  tryDecodeRtcpPackets,
} from '../src/index.js';

// Golden packets hand-derived from the RFC layouts quoted in each source file's header comment.
// The SR, SDES, XR, NACK, FIR, REMB and transport-cc bytes were also fed through tshark 4.0's RTCP
// dissector (text2pcap + `tshark -d udp.port==N,rtcp -V`), which decoded the same field values.
const GOLDEN: [string, string, RtcpPacket][] = [
  [
    'SR with one report block (RFC 3550 §6.4.1)',
    // 81 c8 000c: V=2 RC=1 PT=200 length 12 words-1 | SSRC | NTP | RTP ts | packets | octets
    // report: ssrc | fraction 0x40 | cumulative lost -2 (0xfffffe) | ext. highest | jitter | LSR | DLSR
    '81c8000c 902f9e2e e8a3c4d580000000 00012345 0000000a 00000640' +
      '11223344 40fffffe 00010005 00000010 c4d58000 00010000',
    {
      type: 'sr',
      ssrc: 0x902f9e2e,
      ntpTimestamp: 0xe8a3c4d580000000n,
      rtpTimestamp: 0x12345,
      packetCount: 10,
      octetCount: 1600,
      reports: [
        {
          ssrc: 0x11223344,
          fractionLost: 0x40,
          cumulativeLost: -2,
          extendedHighestSequence: 0x10005,
          jitter: 16,
          lastSr: 0xc4d58000,
          delaySinceLastSr: 0x10000,
        },
      ],
      profileExtension: new Uint8Array(0),
    },
  ],
  [
    'RR without blocks (RFC 3550 §6.4.2)',
    '80c90001 01020304',
    { type: 'rr', ssrc: 0x01020304, reports: [], profileExtension: new Uint8Array(0) },
  ],
  [
    'SDES CNAME "abc" (RFC 3550 §6.5): item 01 03 "abc", then 3 null octets to the word boundary',
    '81ca0003 01020304 01036162 63000000',
    { type: 'sdes', chunks: [{ ssrc: 0x01020304, items: [{ type: 1, text: 'abc' }] }] },
  ],
  [
    'BYE with reason "bye" (RFC 3550 §6.6)',
    '81cb0002 01020304 03627965',
    { type: 'bye', ssrcs: [0x01020304], reason: 'bye' },
  ],
  [
    'APP subtype 3 name TEST (RFC 3550 §6.7)',
    '83cc0003 01020304 54455354 0badcafe',
    { type: 'app', subtype: 3, ssrc: 0x01020304, name: 'TEST', data: fromHex('0badcafe') },
  ],
  [
    'XR with RRTR and DLRR (RFC 3611 §4.4, §4.5)',
    // RRTR: BT 4, block length 2 | NTP ; DLRR: BT 5, block length 3 | ssrc | LRR | DLRR
    '80cf0008 01020304 04000002 e8a3c4d580000000 05000003 11223344 c4d58000 00010000',
    {
      type: 'xr',
      ssrc: 0x01020304,
      blocks: [
        { kind: 'rrtr', ntpTimestamp: 0xe8a3c4d580000000n },
        { kind: 'dlrr', subBlocks: [{ ssrc: 0x11223344, lastRr: 0xc4d58000, delaySinceLastRr: 0x10000 }] },
      ],
    },
  ],
  [
    'generic NACK PID 100 BLP 0b101 (RFC 4585 §6.2.1)',
    '81cd0003 00000001 11223344 00640005',
    { type: 'nack', senderSsrc: 1, mediaSsrc: 0x11223344, items: [{ pid: 100, blp: 5 }] },
  ],
  ['PLI (RFC 4585 §6.3.1)', '81ce0002 00000001 11223344', { type: 'pli', senderSsrc: 1, mediaSsrc: 0x11223344 }],
  [
    'FIR seq 7 (RFC 5104 §4.3.1)',
    '84ce0004 00000001 00000000 11223344 07000000',
    { type: 'fir', senderSsrc: 1, mediaSsrc: 0, entries: [{ ssrc: 0x11223344, sequenceNumber: 7 }] },
  ],
  [
    'REMB 1 Mbps = 250000 × 2^2 (draft-alvestrand-rmcat-remb §2.2)',
    // 'REMB' | num ssrc 1 | exp 2, mantissa 0x3d090 -> (2 << 18 | 0x3d090) = 0x0bd090 | ssrc
    '8fce0005 00000001 00000000 52454d42 010bd090 11223344',
    { type: 'remb', senderSsrc: 1, mediaSsrc: 0, bitrate: 1_000_000, ssrcs: [0x11223344] },
  ],
  [
    'transport-cc across the sequence wrap with small, large, negative and lost entries',
    // base 0xfffe, count 5, reference 1 (64 ms), fb count 3
    // one 2-bit vector chunk: 11 | 01 00 10 10 01 00 00 = 0xd290 (small, lost, large, large, small)
    // deltas: 04 | 012c (300) | fffc (-4) | ff (255)
    '8fcd0006 00000001 11223344 fffe0005 00000103 d290 04 012c fffc ff',
    {
      type: 'twcc',
      senderSsrc: 1,
      mediaSsrc: 0x11223344,
      baseSequence: 0xfffe,
      referenceTime: 1,
      feedbackPacketCount: 3,
      deltas: [4, null, 300, -4, 255],
    },
  ],
  [
    'unknown RTPFB format 3 (TMMBR) kept raw',
    '83cd0004 00000001 00000000 11223344 0c03e81e',
    { type: 'unknown', packetType: 205, count: 3, body: fromHex('00000001 00000000 11223344 0c03e81e') },
  ],
  [
    'unknown packet type 210 kept raw',
    '80d20001 deadbeef',
    { type: 'unknown', packetType: 210, count: 0, body: fromHex('deadbeef') },
  ],
];

describe('RTCP golden packets', () => {
  it.each(GOLDEN)('%s', (_name, hex, packet) => {
    const bytes = fromHex(hex);
    expect(decodeRtcpPackets(bytes)).toEqual([packet]);
    expect(toHex(encodeRtcpPacket(packet))).toBe(toHex(bytes));
  });

  it('decodes transport-cc run-length and 1-bit vector chunks', () => {
    // count 21: run-length chunk 0 01 0000000001101 = 13 small deltas (0x200d), then a one-bit
    // vector 1 0 10000001000000 (0xa040) for the remaining 8: small, 6 lost, small (the rest of the
    // vector lies beyond the count). 15 one-byte deltas (value i), one zero byte of padding.
    const deltas = Array.from({ length: 15 }, (_, i) => i.toString(16).padStart(2, '0')).join('');
    const hex = `8fcd0009 00000001 00000002 00000015 00000000 200d a040 ${deltas} 00`;
    const [fb] = decodeRtcpPackets(fromHex(hex));
    expect(fb?.type).toBe('twcc');
    if (fb?.type !== 'twcc') return;
    expect(fb.deltas).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, null, null, null, null, null, null, 14]);
  });

  it('decodes a Chrome transport-cc feedback padded with the P bit', () => {
    // Bytes captured from Chrome, published in pion/rtcp's transport_layer_cc_test.go ("example1")
    // and discussed in pion/rtcp issue #52: libwebrtc pads to 32 bits with P=1 and a count octet.
    const bytes = fromHex('afcd0005 fa17fa17 43032fa0 00990001 3de80217 2001 94 01');
    const expected: RtcpPacket = {
      type: 'twcc',
      senderSsrc: 0xfa17fa17,
      mediaSsrc: 0x43032fa0,
      baseSequence: 153,
      referenceTime: 4057090,
      feedbackPacketCount: 23,
      deltas: [148], // 37 ms
    };
    expect(decodeRtcpPackets(bytes)).toEqual([expected]);
    // we pad with zeros instead (also valid); the content survives
    expect(toHex(encodeRtcpPacket(expected))).toBe('8fcd0005fa17fa1743032fa0009900013de80217200194' + '00');
  });

  it('encodes long runs as run-length chunks and mixed small runs as 1-bit vectors', () => {
    const runs = encodeRtcpPacket({
      type: 'twcc',
      senderSsrc: 1,
      mediaSsrc: 2,
      baseSequence: 0,
      referenceTime: 0,
      feedbackPacketCount: 0,
      deltas: [...new Array(20).fill(1), ...new Array(30).fill(null)],
    });
    // chunks start at byte 20: run of 20 small (0x2014), run of 30 lost (0x001e)
    expect(toHex(runs.subarray(20, 24))).toBe('2014001e');
    const vector = encodeRtcpPacket({
      type: 'twcc',
      senderSsrc: 1,
      mediaSsrc: 2,
      baseSequence: 0,
      referenceTime: 0,
      feedbackPacketCount: 0,
      deltas: [1, null, 1, null, 1],
    });
    // 1 0 10101000000000 = 0xaa00
    expect(toHex(vector.subarray(20, 22))).toBe('aa00');
  });
});

describe('RTCP compound packets', () => {
  const rr: RtcpPacket = { type: 'rr', ssrc: 1, reports: [], profileExtension: new Uint8Array(0) };
  const sdes: RtcpPacket = { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'user@host' }] }] };
  const pli: RtcpPacket = { type: 'pli', senderSsrc: 1, mediaSsrc: 2 };

  it('round-trips a compound RR + SDES + PLI', () => {
    const bytes = encodeRtcpPackets([rr, sdes, pli]);
    const decoded = decodeRtcpPackets(bytes);
    expect(decoded).toEqual([rr, sdes, pli]);
    expect(isFullCompound(decoded)).toBe(true);
    expect(sdesCname(decoded[1] as never)).toBe('user@host');
    expect(isFullCompound([pli])).toBe(false); // RFC 5506 reduced-size
    expect(isFullCompound([rr])).toBe(false); // no CNAME
  });

  it('pads only the last packet (RFC 3550 §6.4.1)', () => {
    const bytes = encodeRtcpPackets([rr, pli], { padding: 8 });
    // RR unchanged; PLI gets P=1 and length 2 + 2 words; last octet = 8
    expect(toHex(bytes)).toBe('80c9000100000001' + 'a1ce0004000000010000000200000000' + '00000008');
    expect(decodeRtcpPackets(bytes)).toEqual([rr, pli]);
    expect(() => encodeRtcpPackets([rr], { padding: 3 })).toThrow(InvalidArgumentError);
    expect(() => encodeRtcpPackets([])).toThrow(InvalidArgumentError);
  });

  it.each([
    ['empty', '', 'truncated', 0],
    ['short header', '80c9', 'truncated', 2],
    ['trailing partial header', '80c9000100000001 80', 'truncated', 8],
    ['length past end', '80c9000200000001', 'truncated', 0],
    ['version 1', '40c9000100000001', 'bad_version', 0],
    ['second packet version 0', '80c9000100000001 00c9000100000001', 'bad_version', 8],
    ['padding count 0', 'a0c9000100000000', 'invalid_padding', 7],
    ['padding over the body', 'a0c9000100000005', 'invalid_padding', 7],
    ['SR shorter than sender info', '80c8000100000001', 'truncated', 8],
    ['RR with RC=1 and no block', '81c9000100000001', 'truncated', 8],
    ['SDES without end item', '81ca0002 00000001 01026162', 'invalid_sdes', 12],
    ['SDES item past end', '81ca0002 00000001 01096162', 'truncated', 10],
    ['XR RRTR with wrong length', '80cf0003 00000001 04000001 00000000', 'invalid_xr', 8],
    ['XR DLRR with wrong length', '80cf0003 00000001 05000001 00000000', 'invalid_xr', 8],
    ['XR block past end', '80cf0002 00000001 04000002', 'truncated', 12],
    ['REMB with too few SSRCs', '8fce0004 00000001 00000000 52454d42 020bd090', 'truncated', 20],
    ['TWCC reserved symbol', '8fcd0005 00000001 00000002 00000001 00000000 f000 0000', 'invalid_twcc', 20],
    ['TWCC missing deltas', '8fcd0005 00000001 00000002 00000003 00000000 2003 0000', 'truncated', 24],
    ['TWCC missing chunks', '8fcd0004 00000001 00000002 00000003 00000000', 'truncated', 20],
  ])('rejects %s', (_name, hex, code, offset) => {
    const bytes = fromHex(hex);
    let caught: unknown;
    try {
      decodeRtcpPackets(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).code).toBe(code);
    expect((caught as ParseError).offset).toBe(offset);
    expect(tryDecodeRtcpPackets(bytes)).toBeUndefined();
  });

  it('keeps an AFB that is not REMB as unknown', () => {
    const bytes = fromHex('8fce0003 00000001 00000000 41424344');
    expect(decodeRtcpPackets(bytes)).toEqual([
      { type: 'unknown', packetType: 206, count: 15, body: fromHex('00000001 00000000 41424344') },
    ]);
  });
});

describe('RTCP encoder validation', () => {
  it('rejects values the wire cannot carry', () => {
    const bad: RtcpPacket[] = [
      { type: 'rr', ssrc: 1, reports: [], profileExtension: new Uint8Array(3) },
      { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 0, text: 'x' }] }] },
      { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'x'.repeat(256) }] }] },
      { type: 'bye', ssrcs: new Array(32).fill(1) },
      { type: 'app', subtype: 32, ssrc: 1, name: 'TEST', data: new Uint8Array(0) },
      { type: 'app', subtype: 0, ssrc: 1, name: 'TES', data: new Uint8Array(0) },
      { type: 'nack', senderSsrc: 1, mediaSsrc: 2, items: [{ pid: 65536, blp: 0 }] },
      { type: 'remb', senderSsrc: 1, mediaSsrc: 2, bitrate: -1, ssrcs: [] },
      {
        type: 'twcc',
        senderSsrc: 1,
        mediaSsrc: 2,
        baseSequence: 0,
        referenceTime: 0,
        feedbackPacketCount: 0,
        deltas: [40000],
      },
      { type: 'unknown', packetType: 210, count: 0, body: new Uint8Array(2) },
    ];
    for (const p of bad) expect(() => encodeRtcpPacket(p), JSON.stringify(p.type)).toThrow(InvalidArgumentError);
  });

  it('rounds REMB bitrates down to 18 significant bits', () => {
    const bytes = encodeRtcpPacket({ type: 'remb', senderSsrc: 1, mediaSsrc: 0, bitrate: 1_000_003, ssrcs: [] });
    const [p] = decodeRtcpPackets(bytes);
    expect(p?.type === 'remb' && p.bitrate).toBe(1_000_000);
  });
});
