/**
 * The media-quality interceptors of `@rtcwire/rtp-session` on a simulated video stream (30 fps,
 * 1,200-byte payloads, ~300 packets/s, 2 % loss repaired by RTX), packets/s:
 *
 * - `rtp-session-receive-video`: per received packet `RtxReceiver.handle` → `ReceiveStream
 *   .handlePacket` → `TwccFeedbackGenerator.handlePacket`, timers run at `pollTimeout()`, the NACK
 *   and transport-cc RTCP they produce encoded to bytes — vs werift's receive-side parts chained
 *   as its `RTCRtpReceiver.handleRTP` does: `StreamStatistics.add` (per SSRC, RTX included),
 *   `ReceiverTWCC.handleTWCC`, `unwrapRtx`, `NackHandler.addPacket`; its 5 ms NACK interval runs on
 *   the simulated clock and a stand-in transport serializes every RTCP packet it sends.
 * - `rtp-session-send-video` (rtcwire only): per sent packet `SendStream.handlePacketSent` +
 *   `SendSideBandwidthEstimator.handlePacketSent`, per NACK `handleRtcp` → `pollRetransmission`
 *   (RTX), per feedback `handleFeedback`. werift's per-packet send work sits inside the async
 *   `RTCRtpSender.sendRtp` (with header rewriting and the DTLS transport), and its
 *   `SenderBandwidthEstimator` is a rate average, not GCC: no equivalent to time.
 *
 * werift's receive classes are not exported from its package entry: they are loaded from its dist
 * (`lib/webrtc/src/media/receiver/*.js`). Parsing is not timed (bench/rtp.bench.ts does that):
 * each side gets the same packets already parsed into its own types.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomInt, seededRandom } from '@rtcwire/common';
import {
  decodeRtpPacket,
  encodeRtcpPackets,
  encodeRtpPacket,
  type GenericNack,
  nackItemsFromSequences,
  type RtcpPacket,
  type RtpPacket,
  type TransportCcFeedback,
  toRtxPacket,
} from '@rtcwire/rtp';
import {
  ReceiveStream,
  RtxReceiver,
  SendSideBandwidthEstimator,
  SendStream,
  TwccFeedbackGenerator,
} from '@rtcwire/rtp-session';
import { unwrapRtx, GenericNack as WeriftGenericNack, RtpPacket as WeriftRtpPacket } from 'werift';
import { type Contender, compare, report } from './lib/measure.js';

const MEDIA_SSRC = 0x11223344;
const RTX_SSRC = 0x55667788;
const OUR_SSRC = 0x0badcafe;
const PT = 96;
const RTX_PT = 97;
const PAYLOAD = 1200;
const SECONDS = 30;
const LOSS = 0.02;
const ONE_WAY_MS = 20;
/** A lost packet's RTX copy leaves the sender this long after the original (NACK wait + RTT). */
const RTX_AFTER_MS = 45;
let sink = 0;

// ---------------------------------------------------------------- the simulated stream

interface Sent {
  readonly at: number;
  readonly transportSeq: number;
  readonly packet: RtpPacket;
  readonly lost: boolean;
  /** For an RTX copy: the media sequence number it repairs. */
  readonly repairs?: number;
}

interface Received {
  readonly at: number;
  readonly transportSeq: number;
  readonly ours: RtpPacket;
  readonly theirs: WeriftRtpPacket;
  readonly size: number;
}

/** Every packet the sender puts on the wire, in send order (media + RTX), with transport seqs. */
function sentPackets(): Sent[] {
  const rng = seededRandom(7);
  const payload = new Uint8Array(PAYLOAD).fill(0xab);
  const media: { at: number; packet: RtpPacket; lost: boolean }[] = [];
  let seq = 1000; // werift's NackHandler does not handle the 16-bit wrap: stay clear of it
  for (let f = 0; f < SECONDS * 30; f++) {
    const count = f % 90 === 0 ? 40 : randomInt(rng, 6, 14); // a keyframe every 3 s
    for (let k = 0; k < count; k++) {
      const packet: RtpPacket = {
        marker: k === count - 1,
        payloadType: PT,
        sequenceNumber: seq++,
        timestamp: (f * 3000) >>> 0,
        ssrc: MEDIA_SSRC,
        csrcs: [],
        extensions: [],
        payload,
        paddingLength: 0,
      };
      media.push({ at: (f * 1000) / 30 + k * 0.3, packet, lost: rng.float() < LOSS });
    }
  }
  let rtxSeq = 500;
  const all: Omit<Sent, 'transportSeq'>[] = [...media];
  for (const m of media) {
    if (!m.lost) continue;
    const rtx = toRtxPacket(m.packet, { ssrc: RTX_SSRC, payloadType: RTX_PT }, rtxSeq++);
    all.push({ at: m.at + RTX_AFTER_MS, packet: rtx, lost: false, repairs: m.packet.sequenceNumber });
  }
  all.sort((a, b) => a.at - b.at);
  return all.map((s, i) => ({ ...s, transportSeq: i & 0xffff }));
}

/**
 * What arrives, in arrival order: a slowly varying queueing delay (0–3 ms, keeps FIFO order) plus,
 * when `reorderMs` > 0, independent per-packet jitter of up to that much, which reorders packets
 * sent 0.3 ms apart within a frame.
 */
function receivedPackets(sent: readonly Sent[], reorderMs: number): Received[] {
  const rng = seededRandom(11);
  const out: Received[] = [];
  for (const s of sent) {
    if (s.lost) continue;
    const wire = encodeRtpPacket(s.packet);
    out.push({
      at: s.at + ONE_WAY_MS + 1.5 * (1 + Math.sin(s.at / 200)) + reorderMs * rng.float(),
      transportSeq: s.transportSeq,
      ours: decodeRtpPacket(wire),
      theirs: WeriftRtpPacket.deSerialize(Buffer.from(wire)),
      size: wire.length,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Media packets (RTX aside) arriving after a higher sequence number, in percent. */
function reorderedPercent(received: readonly Received[]): number {
  let highest = -1;
  let late = 0;
  for (const r of received) {
    if (r.ours.ssrc !== MEDIA_SSRC) continue;
    if (r.ours.sequenceNumber < highest) late++;
    else highest = r.ours.sequenceNumber;
  }
  return Math.round((late / received.length) * 1000) / 10;
}

// ---------------------------------------------------------------- receive: rtcwire

class OurReceiver {
  readonly rtx = new RtxReceiver({ payloadTypes: new Map([[RTX_PT, PT]]), ssrcs: new Map([[RTX_SSRC, MEDIA_SSRC]]) });
  readonly stream = new ReceiveStream({ ssrc: MEDIA_SSRC, senderSsrc: OUR_SSRC, clockRate: 90_000, nack: true });
  readonly twcc = new TwccFeedbackGenerator({ senderSsrc: OUR_SSRC });
  nacks = 0;
  readonly feedback: { at: number; packet: TransportCcFeedback }[] = [];
  constructor(private readonly keepFeedback = false) {
    this.stream.setRoundTripTime(2 * ONE_WAY_MS);
  }

  handle(r: Received): void {
    this.runTimers(r.at);
    const result = this.rtx.handle(r.ours);
    if (result.kind === 'media') this.stream.handlePacket(r.at, result.packet, r.size, result.retransmitted);
    else if (result.kind === 'duplicate') this.stream.handleDuplicate();
    this.twcc.handlePacket(r.at, r.transportSeq, MEDIA_SSRC);
  }

  /** The driver loop: run every timer due by `now`, then send what they produced. */
  runTimers(now: number): void {
    for (;;) {
      const a = this.stream.pollTimeout();
      const b = this.twcc.pollTimeout();
      const due = a === undefined ? b : b === undefined ? a : Math.min(a, b);
      if (due === undefined || due > now) break;
      this.stream.handleTimeout(due);
      this.twcc.handleTimeout(due);
      for (let p = this.stream.pollRtcp(); p; p = this.stream.pollRtcp()) this.send(p);
      for (let p = this.twcc.pollFeedback(); p; p = this.twcc.pollFeedback()) {
        if (this.keepFeedback) this.feedback.push({ at: due, packet: p });
        this.send(p);
      }
    }
  }

  private send(p: RtcpPacket): void {
    if (p.type === 'nack') this.nacks++;
    sink += encodeRtcpPackets([p]).length;
  }
}

// ---------------------------------------------------------------- receive: werift's parts

// Minimal shapes of werift's dist classes (not exported from its package entry).
interface WeriftRtcp {
  readonly feedback?: { readonly count: number };
  serialize(): Buffer;
}
interface WeriftTransport {
  sendRtcp(packets: WeriftRtcp[]): Promise<void>;
}
interface WeriftNackHandler {
  addPacket(packet: WeriftRtpPacket): void;
  close(): void;
  // runtime members its setInterval callback uses
  sendNack(): Promise<void>;
  _lost: Record<number, number>;
  nackLoop: ReturnType<typeof setInterval> | undefined;
}
interface WeriftStreamStatistics {
  add(packet: WeriftRtpPacket, now?: number): void;
}
const requireWerift = createRequire(import.meta.url);
const weriftMedia = join(dirname(requireWerift.resolve('werift')), 'media');
const { NackHandler } = requireWerift(join(weriftMedia, 'receiver/nack.js')) as {
  NackHandler: new (receiver: { rtcpSsrc: number; dtlsTransport: WeriftTransport }) => WeriftNackHandler;
};
const { ReceiverTWCC } = requireWerift(join(weriftMedia, 'receiver/receiverTwcc.js')) as {
  ReceiverTWCC: new (
    transport: WeriftTransport,
    rtcpSsrc: number,
    mediaSsrc: number,
  ) => { handleTWCC(transportSequenceNumber: number): void };
};
const { StreamStatistics } = requireWerift(join(weriftMedia, 'receiver/statistics.js')) as {
  StreamStatistics: new (clockRate: number) => WeriftStreamStatistics;
};
const NACK_INTERVAL_MS = 5; // werift's NackHandler setInterval

class WeriftReceiver {
  nacks = 0;
  feedback = 0;
  private readonly transport: WeriftTransport = {
    sendRtcp: (packets) => {
      for (const p of packets) {
        if (p.feedback?.count === WeriftGenericNack.count) this.nacks++;
        else this.feedback++;
        sink += p.serialize().length;
      }
      return Promise.resolve();
    },
  };
  readonly nack = new NackHandler({ rtcpSsrc: OUR_SSRC, dtlsTransport: this.transport });
  private readonly twcc = new ReceiverTWCC(this.transport, OUR_SSRC, MEDIA_SSRC);
  private readonly statistics = new Map<number, WeriftStreamStatistics>();
  private nextNackAt: number | undefined;

  /** `RTCRtpReceiver.handleRTP`'s order for a VP8 track with nack + transport-cc, no RED. */
  handle(r: Received): void {
    this.runTimers(r.at);
    let packet = r.theirs;
    const ssrc = packet.header.ssrc;
    let stats = this.statistics.get(ssrc);
    if (!stats) {
      stats = new StreamStatistics(90_000);
      this.statistics.set(ssrc, stats);
    }
    stats.add(packet);
    this.twcc.handleTWCC(r.transportSeq);
    if (packet.header.payloadType === RTX_PT) {
      if (packet.payload.length < 2) return;
      packet = unwrapRtx(packet, PT, MEDIA_SSRC);
    }
    this.nack.addPacket(packet);
    // addPacket started werift's interval: run it on the simulated clock instead of the real one.
    if (this.nack.nackLoop !== undefined && this.nextNackAt === undefined) this.nextNackAt = r.at + NACK_INTERVAL_MS;
  }

  /** What werift's interval callback does each 5 ms (sendNack; stop once nothing is lost). */
  private runTimers(now: number): void {
    while (this.nextNackAt !== undefined && this.nextNackAt <= now) {
      void this.nack.sendNack();
      if (Object.keys(this.nack._lost).length === 0) {
        clearInterval(this.nack.nackLoop);
        this.nack.nackLoop = undefined;
        this.nextNackAt = undefined;
      } else {
        this.nextNackAt += NACK_INTERVAL_MS;
      }
    }
  }
}

function benchReceive(name: string, received: readonly Received[]): void {
  let ours = new OurReceiver();
  let theirs = new WeriftReceiver();
  const ops = received.length; // a round is the whole stream, with fresh state
  const contenders: Record<'rtcwire' | 'werift', Contender> = {
    rtcwire: {
      setup: () => {
        ours = new OurReceiver();
      },
      run: (n) => {
        for (let i = 0; i < n; i++) ours.handle(received[i] as Received);
      },
    },
    werift: {
      setup: () => {
        theirs.nack.close();
        theirs = new WeriftReceiver();
      },
      run: (n) => {
        for (let i = 0; i < n; i++) theirs.handle(received[i] as Received);
      },
    },
  };
  const result = compare(contenders, { ops, rounds: 9 });
  theirs.nack.close(); // clears werift's interval timer
  const s = ours.stream.stats();
  report(name, 'packets/s', result, {
    reorderedPercent: reorderedPercent(received),
    packets: ops,
    lossPercent: LOSS * 100,
    rtcwireNackMessages: ours.nacks,
    weriftNackMessages: theirs.nacks,
    rtcwireTwccFeedback: ours.twcc.feedbackSent,
    weriftTwccFeedback: theirs.feedback,
    rtcwirePacketsLost: s.packetsLost,
    rtcwireRetransmittedReceived: s.retransmittedPacketsReceived,
  });
}

// ---------------------------------------------------------------- send: rtcwire only

type SendEvent =
  | { readonly kind: 'media'; readonly at: number; readonly packet: RtpPacket; readonly transportSeq: number }
  | { readonly kind: 'nack'; readonly at: number; readonly nack: GenericNack; readonly transportSeq: number }
  | { readonly kind: 'feedback'; readonly at: number; readonly feedback: TransportCcFeedback };

/** The sender's view: its media, the NACK behind each RTX copy, the receiver's TWCC feedback. */
function sendEvents(sent: readonly Sent[], received: readonly Received[]): SendEvent[] {
  const events: SendEvent[] = sent.map((s) =>
    s.repairs === undefined
      ? { kind: 'media', at: s.at, packet: s.packet, transportSeq: s.transportSeq }
      : {
          kind: 'nack',
          at: s.at,
          transportSeq: s.transportSeq,
          nack: {
            type: 'nack',
            senderSsrc: OUR_SSRC,
            mediaSsrc: MEDIA_SSRC,
            items: nackItemsFromSequences([s.repairs]),
          },
        },
  );
  const receiver = new OurReceiver(true);
  for (const r of received) receiver.handle(r);
  for (const f of receiver.feedback) events.push({ kind: 'feedback', at: f.at + ONE_WAY_MS, feedback: f.packet });
  return events.sort((a, b) => a.at - b.at); // stable: sends keep their transport-seq order
}

function benchSend(events: readonly SendEvent[]): void {
  const makeStream = () =>
    new SendStream({
      ssrc: MEDIA_SSRC,
      clockRate: 90_000,
      retransmission: { rtx: { ssrc: RTX_SSRC, payloadType: RTX_PT, initialSequenceNumber: 500 } },
    });
  let stream = makeStream();
  let bwe = new SendSideBandwidthEstimator();
  const send = (now: number, packet: RtpPacket, expectedSeq: number) => {
    const seq = bwe.allocateSequence();
    if (seq !== expectedSeq) throw new Error(`transport seq ${seq}, trace says ${expectedSeq}`);
    bwe.handlePacketSent(now, seq, 12 + packet.payload.length);
  };
  const ops = events.reduce((n, e) => n + (e.kind === 'feedback' ? 0 : 1), 0); // packets sent
  const rtcwire: Contender = {
    setup: () => {
      stream = makeStream();
      bwe = new SendSideBandwidthEstimator();
    },
    run: () => {
      for (const e of events) {
        if (e.kind === 'media') {
          stream.handlePacketSent(e.at, e.packet);
          send(e.at, e.packet, e.transportSeq);
        } else if (e.kind === 'nack') {
          stream.handleRtcp(e.at, e.at, e.nack);
          for (let p = stream.pollRetransmission(); p; p = stream.pollRetransmission()) send(e.at, p, e.transportSeq);
        } else {
          bwe.handleFeedback(e.at, e.feedback);
        }
      }
    },
  };
  const result = compare({ rtcwire, werift: null }, { ops, rounds: 9 });
  const s = stream.stats();
  report('rtp-session-send-video', 'packets/s', result, {
    packets: ops,
    retransmittedPacketsSent: s.retransmittedPacketsSent,
    availableOutgoingBitrate: Math.round(bwe.availableOutgoingBitrate),
    weriftNote:
      'no separable equivalent: per-packet work inside async RTCRtpSender.sendRtp; SenderBandwidthEstimator is not GCC',
  });
}

const sent = sentPackets();
const received = receivedPackets(sent, 0);
benchReceive('rtp-session-receive-video', received);
benchReceive('rtp-session-receive-video-reorder', receivedPackets(sent, 1));
benchSend(sendEvents(sent, received));
if (sink === 0) console.error('impossible sink');
