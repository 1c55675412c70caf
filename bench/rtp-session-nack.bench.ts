/**
 * NACK → retransmission on the send side, retransmissions/s: a Generic NACK (RFC 4585 §6.2.1) for
 * 4 recently sent 1,200-byte packets → 4 RTX packets (RFC 4588 §4). rtcwire: `SendStream
 * .handleRtcp` → `pollRetransmission()`; werift: `RTCRtpSender.handleRtcpPacket` (its 128-packet
 * `rtpCache` lookup + `wrapRtx`, handed to a stand-in DTLS transport). Both histories hold the same
 * 128 packets; rtcwire's once-per-RTT suppression is off (`initialRttMs: 0`) because werift has
 * none, so both resend every packet asked for.
 */
import { decodeRtpPacket, encodeRtpPacket, type GenericNack, nackItemsFromSequences } from '@rtcwire/rtp';
import { SendStream } from '@rtcwire/rtp-session';
import {
  RTCRtpCodecParameters,
  RTCRtpSender,
  RtcpTransportLayerFeedback,
  GenericNack as WeriftGenericNack,
  RtpPacket as WeriftRtpPacket,
} from 'werift';
import { type Contender, compare, median, report } from './lib/measure.js';

const MEDIA_SSRC = 0x11223344;
const RTX_SSRC = 0x55667788;
const OUR_SSRC = 0x0badcafe;
const PT = 96;
const RTX_PT = 97;
const PAYLOAD = 1200;
const HISTORY = 128; // werift's RTP_HISTORY_SIZE; rtcwire keeps up to 1024 by default
const PER_NACK = 4;
const NACKS = 2000;
const BASE_SEQ = 20_000;
let sink = 0;

const wire = Array.from({ length: HISTORY }, (_, i) =>
  encodeRtpPacket({
    marker: false,
    payloadType: PT,
    sequenceNumber: BASE_SEQ + i,
    timestamp: i * 300,
    ssrc: MEDIA_SSRC,
    csrcs: [],
    extensions: [],
    payload: new Uint8Array(PAYLOAD).fill(0xcd),
    paddingLength: 0,
  }),
);
const ourPackets = wire.map((w) => decodeRtpPacket(w));
const theirPackets = wire.map((w) => WeriftRtpPacket.deSerialize(Buffer.from(w)));
/** NACK k asks for 4 packets spread over the history (consecutive NACKs ask for different ones). */
const lost = (k: number) => Array.from({ length: PER_NACK }, (_, j) => BASE_SEQ + ((k * 7 + j * 31) % HISTORY));
const ourNacks: GenericNack[] = Array.from({ length: NACKS }, (_, k) => ({
  type: 'nack',
  senderSsrc: OUR_SSRC,
  mediaSsrc: MEDIA_SSRC,
  items: nackItemsFromSequences(lost(k).sort((a, b) => a - b)),
}));
const theirNacks = Array.from(
  { length: NACKS },
  (_, k) =>
    new RtcpTransportLayerFeedback({
      feedback: new WeriftGenericNack({ senderSsrc: OUR_SSRC, mediaSourceSsrc: MEDIA_SSRC, lost: lost(k) }),
    }),
);
const weriftCodecs = [
  new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90_000, payloadType: PT }),
  new RTCRtpCodecParameters({ mimeType: 'video/rtx', clockRate: 90_000, payloadType: RTX_PT, parameters: `apt=${PT}` }),
];

let stream: SendStream | undefined;
let sender: RTCRtpSender | undefined;
const resent = { rtcwire: 0, werift: 0 };
const contenders: Record<'rtcwire' | 'werift', Contender> = {
  rtcwire: {
    setup: () => {
      stream = new SendStream({
        ssrc: MEDIA_SSRC,
        clockRate: 90_000,
        retransmission: { rtx: { ssrc: RTX_SSRC, payloadType: RTX_PT, initialSequenceNumber: 0 }, initialRttMs: 0 },
      });
      for (const p of ourPackets) stream.handlePacketSent(0, p);
      resent.rtcwire = 0;
    },
    run: (n) => {
      const s = stream as SendStream;
      for (let k = 0; k < n / PER_NACK; k++) {
        s.handleRtcp(1, 1, ourNacks[k % NACKS] as GenericNack);
        for (let p = s.pollRetransmission(); p; p = s.pollRetransmission()) {
          sink += p.payload.length;
          resent.rtcwire++;
        }
      }
    },
  },
  werift: {
    setup: () => {
      sender = new RTCRtpSender('video');
      sender.prepareSend({ codecs: weriftCodecs, headerExtensions: [] }); // sets its RTX payload type
      const transport = {
        sendRtp: (payload: Buffer) => {
          sink += payload.length;
          resent.werift++;
          return Promise.resolve(payload.length);
        },
      };
      (sender as unknown as { dtlsTransport: typeof transport }).dtlsTransport = transport;
      // what RTCRtpSender.sendRtp stores for each packet it sends
      const cache = (sender as unknown as { rtpCache: WeriftRtpPacket[] }).rtpCache;
      for (const p of theirPackets) cache[p.header.sequenceNumber % HISTORY] = p;
      resent.werift = 0;
    },
    run: (n) => {
      const s = sender as RTCRtpSender;
      for (let k = 0; k < n / PER_NACK; k++) s.handleRtcpPacket(theirNacks[k % NACKS] as RtcpTransportLayerFeedback);
    },
  },
};

// werift answers each requested packet in an async callback whose continuation (holding the RTX
// packet) waits for the microtask queue: one round per compare(), the queue drained in between, so
// that garbage does not pile up over all rounds and land on either contender's GC time.
const ops = 5 * NACKS * PER_NACK; // ~40 ms rounds
const samples = { rtcwire: [] as number[], werift: [] as number[] };
for (let r = 0; r < 9; r++) {
  const order = r % 2 === 0 ? contenders : { werift: contenders.werift, rtcwire: contenders.rtcwire };
  const one = compare(order, { ops, rounds: 1, warmupRounds: r === 0 ? 2 : 0 });
  samples.rtcwire.push(one.rtcwire ?? 0);
  samples.werift.push(one.werift ?? 0);
  await new Promise((resolve) => setImmediate(resolve));
}
const result = { rtcwire: median(samples.rtcwire), werift: median(samples.werift) };
// Both must have resent every packet asked for in their last round (same work, no suppression).
if (resent.rtcwire !== ops || resent.werift !== ops) throw new Error(`resent ${JSON.stringify(resent)} of ${ops}`);
report('rtp-session-nack-retransmit', 'retransmissions/s', result, {
  payloadBytes: PAYLOAD,
  packetsPerNack: PER_NACK,
  rtx: true,
});
if (sink === 0) console.error('impossible sink');
