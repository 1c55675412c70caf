/**
 * A 30 fps VP8-like stream (1–5 packets per frame, marker on the last) from a sender with packet
 * history/RTX to a receiver with RTX reception, NACK generation, a frame jitter buffer, receive
 * statistics and keyframe requests, over seeded lossy channels in both directions. Packets and
 * RTCP cross the channels as bytes encoded and decoded by @rtcwire/rtp. Time advances in 1 ms steps.
 */
import { type RandomSource, randomInt, seededRandom } from '@rtcwire/common';
import {
  decodeRtcpPackets,
  decodeRtpPacket,
  encodeRtcpPackets,
  encodeRtpPacket,
  ntpMiddle32,
  type ReportBlock,
  type RtcpPacket,
} from '@rtcwire/rtp';
import {
  JitterBuffer,
  KeyframeRequester,
  NackGenerator,
  ReceiveStatistics,
  Retransmitter,
  RtxReceiver,
  SenderStatistics,
} from '../src/index.js';
import { Channel, type ChannelOptions } from './channel.js';

export const MEDIA_SSRC = 0x11111111;
export const RTX_SSRC = 0x22222222;
export const RECEIVER_SSRC = 0x33333333;
const PT = 96;
const RTX_PT = 97;
const EPOCH_UNIX_MS = 1_790_000_000_000;

export interface VideoSimOptions {
  readonly seed: number;
  readonly nack: boolean;
  readonly forward: ChannelOptions;
  readonly reverse: ChannelOptions;
  readonly durationMs?: number;
  readonly jitterBufferMs?: number;
  readonly minReorderWaitMs?: number;
}

export interface RrSample {
  readonly block: ReportBlock;
  /** Truth for the interval: seqs in (previous, current] extended highest, and how many were dropped. */
  readonly intervalExpected: number;
  readonly intervalDropped: number;
  readonly totalDropped: number;
}

export function runVideoSim(o: VideoSimOptions) {
  const random: RandomSource = seededRandom(o.seed);
  const forward = new Channel<Uint8Array>(random, o.forward);
  const reverse = new Channel<Uint8Array>(random, o.reverse);
  const duration = o.durationMs ?? 30_000;

  // sender
  const history = new Retransmitter({ rtx: { ssrc: RTX_SSRC, payloadType: RTX_PT, initialSequenceNumber: 40_000 } });
  const senderStats = new SenderStatistics(MEDIA_SSRC, 90_000);
  let seq = 65_000; // crosses the 16-bit wrap early
  let keyframePending = true;
  const droppedSeqs = new Set<number>();
  const frameSeqs = new Map<number, number[]>();
  let framesSent = 0;
  let keyframesSent = 0;
  let plisReceived = 0;
  let plisAnswerable = 0;

  // receiver
  const rtx = new RtxReceiver({ payloadTypes: new Map([[RTX_PT, PT]]), ssrcs: new Map([[RTX_SSRC, MEDIA_SSRC]]) });
  const stats = new ReceiveStatistics(MEDIA_SSRC, 90_000);
  const nack = new NackGenerator({
    senderSsrc: RECEIVER_SSRC,
    mediaSsrc: MEDIA_SSRC,
    ...(o.minReorderWaitMs === undefined ? {} : { minReorderWaitMs: o.minReorderWaitMs }),
  });
  // payload[2] is the packet's index in its frame: the VP8-like "start of frame" bit.
  const jb = new JitterBuffer({
    frames: true,
    latencyMs: o.jitterBufferMs ?? 600,
    isFrameStart: (p) => p.payload[2] === 0,
  });
  const keyframes = new KeyframeRequester({ senderSsrc: RECEIVER_SSRC, mediaSsrc: MEDIA_SSRC });
  const frames: { timestamp: number; complete: boolean; packets: number }[] = [];
  const rr: RrSample[] = [];
  let needKeyframe = false;
  let prevHighest: number | undefined;
  let unwrapBase = 0;
  let lastWireSeq: number | undefined;
  const unwrapSeq = (s: number): number => {
    if (lastWireSeq !== undefined && s < lastWireSeq && lastWireSeq - s > 0x8000) unwrapBase += 0x10000;
    lastWireSeq = s;
    return unwrapBase + s;
  };
  const extSeqOfSent: number[] = [];

  const sendRtcp = (ch: Channel<Uint8Array>, now: number, packets: RtcpPacket[]): void => {
    ch.send(now, encodeRtcpPackets(packets), 100);
  };

  for (let now = 0; now < duration + 3000; now++) {
    // --- sender: one frame every 1000/30 ms, RTP timestamp locked to the send time; it keeps
    // sending for 1 s after `duration` so that losses in the last counted frames are detectable.
    if (now < duration + 1000 && now === Math.floor((framesSent * 1000) / 30)) {
      const keyframe = keyframePending;
      keyframePending = false;
      if (keyframe) keyframesSent++;
      const count = keyframe ? 5 : randomInt(random, 1, 5);
      const timestamp = (now * 90) >>> 0;
      const seqs: number[] = [];
      for (let i = 0; i < count; i++) {
        const payload = new Uint8Array(randomInt(random, 200, 1000));
        payload[0] = keyframe ? 1 : 0;
        payload[1] = framesSent & 0xff;
        payload[2] = i;
        const packet = {
          marker: i === count - 1,
          payloadType: PT,
          sequenceNumber: seq,
          timestamp,
          ssrc: MEDIA_SSRC,
          csrcs: [],
          extensions: [],
          payload,
          paddingLength: 0,
        };
        const ext = unwrapSeq(seq);
        extSeqOfSent.push(ext);
        seqs.push(ext);
        history.handlePacketSent(now, packet);
        senderStats.handlePacketSent(now, timestamp, payload.length);
        if (!forward.send(now, encodeRtpPacket(packet), payload.length + 12)) droppedSeqs.add(ext);
        seq = (seq + 1) & 0xffff;
      }
      if (now < duration) frameSeqs.set(timestamp, seqs);
      framesSent++;
    }
    for (let p = history.pollRetransmission(); p; p = history.pollRetransmission()) {
      forward.send(now, encodeRtpPacket(p), p.payload.length + 12);
    }
    if (now % 1000 === 500 && senderStats.active) {
      sendRtcp(forward, now, [senderStats.senderReport(now, EPOCH_UNIX_MS + now)]);
    }

    // --- receiver input
    for (const { item } of forward.receive(now)) {
      if ((item[1] as number) >= 200 && (item[1] as number) <= 206) {
        for (const p of decodeRtcpPackets(item)) {
          if (p.type === 'sr') stats.handleSenderReport(now, ntpMiddle32(p.ntpTimestamp));
        }
        continue;
      }
      const r = rtx.handle(decodeRtpPacket(item));
      if (r.kind === 'dropped') continue;
      if (r.kind === 'duplicate') {
        stats.handleDuplicate();
        continue;
      }
      const p = r.packet;
      stats.handlePacket(now, p.sequenceNumber, p.timestamp, p.payload.length + 12, { retransmitted: r.retransmitted });
      if (o.nack) nack.handlePacket(now, p.sequenceNumber, { retransmitted: r.retransmitted });
      jb.handlePacket(now, p);
    }

    // --- receiver timers
    if (o.nack) {
      nack.handleTimeout(now);
      for (let n = nack.pollNack(); n; n = nack.pollNack()) sendRtcp(reverse, now, [n]);
      if (nack.pollKeyframeNeeded()) keyframes.request(now);
    }
    jb.handleTimeout(now);
    for (let out = jb.poll(); out; out = jb.poll()) {
      if (out.type !== 'frame') continue;
      const f = out.frame;
      if (frameSeqs.has(f.timestamp))
        frames.push({ timestamp: f.timestamp, complete: f.complete, packets: f.packets.length });
      const isKey = f.packets[0]?.payload[0] === 1;
      if (!f.complete) {
        needKeyframe = true; // the decoder cannot continue: ask for a keyframe
        keyframes.request(now);
      } else if (isKey && needKeyframe) {
        needKeyframe = false;
        keyframes.handleKeyframe();
      }
    }
    keyframes.handleTimeout(now);
    for (let k = keyframes.pollRequest(); k; k = keyframes.pollRequest()) sendRtcp(reverse, now, [k]);
    if (now % 1000 === 0 && stats.packetsReceived > 0) {
      const block = stats.reportBlock(now);
      const highest = block.extendedHighestSequence;
      const lo = prevHighest ?? (extSeqOfSent[0] as number) - 1;
      let intervalDropped = 0;
      for (let s = lo + 1; s <= highest; s++) if (droppedSeqs.has(s)) intervalDropped++;
      let totalDropped = 0;
      for (const s of droppedSeqs) if (s <= highest) totalDropped++;
      rr.push({ block, intervalExpected: highest - lo, intervalDropped, totalDropped });
      prevHighest = highest;
      sendRtcp(reverse, now, [
        { type: 'rr', ssrc: RECEIVER_SSRC, reports: [block], profileExtension: new Uint8Array(0) },
      ]);
    }

    // --- sender RTCP input
    for (const { item } of reverse.receive(now)) {
      for (const p of decodeRtcpPackets(item)) {
        if (p.type === 'nack') history.handleNack(now, p);
        else if (p.type === 'pli') {
          plisReceived++;
          if (now < duration + 1000 - 34) plisAnswerable++; // a frame follows that can be the keyframe
          keyframePending = true;
        } else if (p.type === 'rr') {
          for (const b of p.reports) {
            const rtt = senderStats.handleReportBlock(EPOCH_UNIX_MS + now, b);
            if (rtt !== undefined) {
              history.setRoundTripTime(rtt);
              nack.setRoundTripTime(rtt); // the receiver would learn it from XR DLRR or its own SR
            }
          }
        }
      }
    }
  }

  const truthIncomplete = new Set<number>();
  for (const [ts, seqs] of frameSeqs) if (seqs.some((s) => droppedSeqs.has(s))) truthIncomplete.add(ts);
  return {
    framesSent: frameSeqs.size,
    frames,
    truthIncomplete,
    frameSeqs,
    droppedSeqs,
    packetsSent: extSeqOfSent.length,
    forward,
    reverse,
    history,
    senderStats,
    rtx,
    stats,
    nack,
    jb,
    keyframes,
    keyframesSent,
    plisReceived,
    plisAnswerable,
    rr,
  };
}
