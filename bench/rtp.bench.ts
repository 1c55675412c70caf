/**
 * RTP parse/serialize and RTCP compound parse throughput, rtcwire vs werift, same process,
 * interleaved rounds (bench/lib/measure.ts). Every contender touches a field of each result so the
 * work cannot be optimised away. Prints one JSON line per measurement.
 */
import {
  absSendTimeExtension,
  audioLevelExtension,
  decodeRtcpPackets,
  decodeRtpPacket,
  encodeRtcpPackets,
  encodeRtpPacket,
  encodeRtpPacketInto,
  midExtension,
  nackItemsFromSequences,
  type RtcpPacket,
  type RtpPacket,
  readRtpHeader,
  rtpPacketSize,
  transportWideCcExtension,
} from '@rtcwire/rtp';
import { RtcpPacketConverter, RtpPacket as WeriftRtpPacket } from 'werift';
import { type Contender, compare, report } from './lib/measure.js';

const OPS = 20_000;
const PAYLOAD = 1200;
let sink = 0;

function packets(withExtensions: boolean): Buffer[] {
  const payload = new Uint8Array(PAYLOAD).fill(0xab);
  return Array.from({ length: 256 }, (_, i) => {
    const p: RtpPacket = {
      marker: i % 30 === 0,
      payloadType: 96,
      sequenceNumber: (40_000 + i) & 0xffff,
      timestamp: (i * 3000) >>> 0,
      ssrc: 0x11223344,
      csrcs: [],
      // the set Chrome puts on video: audio level stands in for a 1-byte element
      extensions: withExtensions
        ? [
            { id: 1, data: audioLevelExtension.encode({ voiceActivity: true, level: 30 }) },
            { id: 2, data: absSendTimeExtension.encode(i * 1000) },
            { id: 3, data: transportWideCcExtension.encode(i) },
            { id: 4, data: midExtension.encode('0') },
          ]
        : [],
      payload,
      paddingLength: 0,
    };
    return Buffer.from(encodeRtpPacket(p));
  });
}

function benchParse(name: string, wire: Buffer[]): void {
  const n = wire.length;
  const contenders: Record<'rtcwire' | 'werift', Contender> = {
    rtcwire: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) {
          const p = decodeRtpPacket(wire[i % n] as Buffer);
          sink += p.sequenceNumber + p.payload.length + p.extensions.length;
        }
      },
    },
    werift: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) {
          const p = WeriftRtpPacket.deSerialize(wire[i % n] as Buffer);
          sink += p.header.sequenceNumber + p.payload.length + p.header.extensions.length;
        }
      },
    },
  };
  report(name, 'packets/s', compare(contenders, { ops: OPS }), { payloadBytes: PAYLOAD, api: 'decodeRtpPacket' });
  // Hot-path view: header fields and offsets only, no objects for payload or extensions.
  const view: Record<'rtcwire' | 'werift', Contender> = {
    rtcwire: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) {
          const h = readRtpHeader(wire[i % n] as Buffer);
          sink += h.sequenceNumber + h.payloadLength;
        }
      },
    },
    werift: contenders.werift,
  };
  report(`${name}-view`, 'packets/s', compare(view, { ops: OPS }), { payloadBytes: PAYLOAD, api: 'readRtpHeader' });
}

function benchSerialize(name: string, wire: Buffer[]): void {
  const ours = wire.map((b) => decodeRtpPacket(b));
  const theirs = wire.map((b) => WeriftRtpPacket.deSerialize(b));
  const n = wire.length;
  const contenders: Record<'rtcwire' | 'werift', Contender> = {
    rtcwire: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) sink += encodeRtpPacket(ours[i % n] as RtpPacket).length;
      },
    },
    werift: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) sink += (theirs[i % n] as WeriftRtpPacket).serialize().length;
      },
    },
  };
  report(name, 'packets/s', compare(contenders, { ops: OPS }), { payloadBytes: PAYLOAD, api: 'encodeRtpPacket' });
  const out = new Uint8Array(rtpPacketSize(ours[0] as RtpPacket) + 64);
  const into: Record<'rtcwire' | 'werift', Contender> = {
    rtcwire: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) sink += encodeRtpPacketInto(ours[i % n] as RtpPacket, out, 0);
      },
    },
    werift: contenders.werift,
  };
  report(`${name}-into`, 'packets/s', compare(into, { ops: OPS }), {
    payloadBytes: PAYLOAD,
    api: 'encodeRtpPacketInto',
  });
}

function benchRtcpCompound(): void {
  // A typical receiver compound: RR with 2 blocks + SDES CNAME + REMB + NACK + transport-cc.
  const block = (ssrc: number) => ({
    ssrc,
    fractionLost: 3,
    cumulativeLost: 17,
    extendedHighestSequence: 0x10020,
    jitter: 45,
    lastSr: 0x12345678,
    delaySinceLastSr: 0x8000,
  });
  const packets: RtcpPacket[] = [
    { type: 'rr', ssrc: 1, reports: [block(0x11223344), block(0x55667788)], profileExtension: new Uint8Array(0) },
    { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'hG5lF2eX0aK1cP8v' }] }] },
    { type: 'remb', senderSsrc: 1, mediaSsrc: 0, bitrate: 2_500_000, ssrcs: [0x11223344] },
    { type: 'nack', senderSsrc: 1, mediaSsrc: 0x11223344, items: nackItemsFromSequences([100, 101, 105, 140]) },
    {
      type: 'twcc',
      senderSsrc: 1,
      mediaSsrc: 0x11223344,
      baseSequence: 65500,
      referenceTime: 12345,
      feedbackPacketCount: 7,
      deltas: Array.from({ length: 40 }, (_, i) => (i % 9 === 4 ? null : i % 13 === 0 ? 400 : (i * 7) % 200)),
    },
  ];
  const wire = Buffer.from(encodeRtcpPackets(packets));
  // sanity: werift must understand every packet in the compound
  if (RtcpPacketConverter.deSerialize(wire).length !== packets.length) throw new Error('werift parse mismatch');
  const contenders: Record<'rtcwire' | 'werift', Contender> = {
    rtcwire: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) sink += decodeRtcpPackets(wire).length;
      },
    },
    werift: {
      run: (ops) => {
        for (let i = 0; i < ops; i++) sink += RtcpPacketConverter.deSerialize(wire).length;
      },
    },
  };
  report('rtcp-compound-parse', 'compounds/s', compare(contenders, { ops: OPS / 4 }), {
    bytes: wire.length,
    contents: 'RR(2 blocks)+SDES+REMB+NACK+TWCC(40)',
  });
}

const plain = packets(false);
const withExt = packets(true);
benchParse(`rtp-parse-${PAYLOAD}`, plain);
benchParse(`rtp-parse-ext-${PAYLOAD}`, withExt);
benchSerialize(`rtp-serialize-${PAYLOAD}`, plain);
benchSerialize(`rtp-serialize-ext-${PAYLOAD}`, withExt);
benchRtcpCompound();
if (sink === 0) console.error('impossible sink');
