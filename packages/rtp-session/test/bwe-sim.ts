/**
 * Congestion-control simulation: a sender whose media rate follows its own estimate, paced, each
 * packet stamped with a transport-wide sequence number and abs-send-time; a bottleneck channel;
 * a receiver producing transport-cc feedback (or REMB) that crosses back as RTCP bytes encoded and
 * decoded by @rtcwire/rtp. `phases` change the forward channel during the run.
 */
import { seededRandom } from '@rtcwire/common';
import {
  absSendTimeExtension,
  absSendTimeFromMs,
  absSendTimeToMs,
  decodeRtcpPackets,
  ExtensionMap,
  encodeRtcpPackets,
  encodeRtpPacket,
  readRtpHeader,
  transportWideCcExtension,
} from '@rtcwire/rtp';
import { Pacer, RembGenerator, SendSideBandwidthEstimator, TwccFeedbackGenerator } from '../src/index.js';
import { Channel, type ChannelOptions } from './channel.js';

const SSRC = 0x5eed;
const extmap = new ExtensionMap(
  new Map([
    [3, transportWideCcExtension.uri],
    [2, absSendTimeExtension.uri],
  ]),
);

export interface BweSimOptions {
  readonly seed: number;
  readonly mode: 'twcc' | 'remb';
  readonly phases: readonly { readonly fromMs: number; readonly forward: ChannelOptions }[];
  readonly durationMs: number;
  readonly packetBytes?: number;
}

export function runBweSim(o: BweSimOptions) {
  const random = seededRandom(o.seed);
  const first = o.phases[0];
  if (!first) throw new Error('no phase');
  const forward = new Channel<Uint8Array>(random, first.forward);
  const reverse = new Channel<Uint8Array>(random, { latencyMs: 20 });
  const bwe = new SendSideBandwidthEstimator();
  const twcc = new TwccFeedbackGenerator({ senderSsrc: 1 });
  const remb = new RembGenerator({ senderSsrc: 1 });
  let target = bwe.availableOutgoingBitrate;
  let rembTarget = target;
  const pacer = new Pacer<{ seq: number; timestamp: number }>({ bitrate: target });
  const size = o.packetBytes ?? 1000;
  let credit = 0;
  let mediaSeq = 0;
  const estimates: number[] = []; // one per second, at the end of each second
  let feedbackMessages = 0;

  for (let now = 0; now < o.durationMs; now++) {
    for (const ph of o.phases) if (ph.fromMs === now) forward.options = ph.forward;
    // Encoder at the target rate, through the pacer.
    credit += target / 8000;
    while (credit >= size) {
      credit -= size;
      pacer.enqueue(now, { seq: mediaSeq, timestamp: now * 90 }, size);
      mediaSeq = (mediaSeq + 1) & 0xffff;
    }
    // Transport sequence and abs-send-time are stamped as the packet leaves the pacer.
    for (let m = pacer.poll(now); m; m = pacer.poll(now)) {
      const transportSeq = bwe.allocateSequence();
      const bytes = encodeRtpPacket({
        marker: false,
        payloadType: 96,
        sequenceNumber: m.seq,
        timestamp: m.timestamp >>> 0,
        ssrc: SSRC,
        csrcs: [],
        extensions: [
          extmap.element(transportWideCcExtension, transportSeq),
          extmap.element(absSendTimeExtension, absSendTimeFromMs(now)),
        ],
        payload: new Uint8Array(size - 40),
        paddingLength: 0,
      });
      bwe.handlePacketSent(now, transportSeq, bytes.length);
      forward.send(now, bytes, bytes.length);
    }
    // Receiver.
    for (const { item } of forward.receive(now)) {
      const h = readRtpHeader(item);
      const seq = extmap.read(item, h, transportWideCcExtension) as number;
      const sendTime = absSendTimeToMs(extmap.read(item, h, absSendTimeExtension) as number);
      if (o.mode === 'twcc') twcc.handlePacket(now, seq, h.ssrc);
      else remb.handlePacket(now, sendTime, item.length, h.ssrc);
    }
    twcc.handleTimeout(now);
    remb.handleTimeout(now);
    for (let f = twcc.pollFeedback(); f; f = twcc.pollFeedback()) reverse.send(now, encodeRtcpPackets([f]), 100);
    for (let r = remb.pollRemb(); r; r = remb.pollRemb()) reverse.send(now, encodeRtcpPackets([r]), 100);
    // Sender feedback.
    for (const { item } of reverse.receive(now)) {
      for (const p of decodeRtcpPackets(item)) {
        if (p.type === 'twcc') {
          feedbackMessages++;
          bwe.handleFeedback(now, p);
        } else if (p.type === 'remb') {
          rembTarget = p.bitrate;
        }
      }
    }
    target = o.mode === 'twcc' ? bwe.availableOutgoingBitrate : rembTarget;
    pacer.setBitrate(target);
    if (now % 1000 === 999) estimates.push(target);
  }
  return { estimates, bwe, twcc, remb, forward, feedbackMessages, packetsSent: pacer.packetsSent, pacer };
}
