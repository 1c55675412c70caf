/**
 * Transport-wide congestion control feedback generator (draft-holmer-rmcat-transport-wide-cc-
 * extensions-01 §3): records the arrival time of every packet carrying the transport-wide
 * sequence number header extension and reports them every `intervalMs` (libwebrtc's default is
 * 100 ms, down to 50 ms at high rates; Chrome's estimator expects that cadence). Handles the 16-bit
 * wrap and reordering: a packet older than the last report (but within `historyMs`) moves the
 * next report's start back so its arrival is reported too.
 */
import { Unwrapper } from '@rtcwire/common';
import { buildTransportCcFeedback, type TransportCcFeedback, type TwccArrival } from '@rtcwire/rtp';

export interface TwccFeedbackOptions {
  readonly senderSsrc: number;
  /** Feedback period (default 50 ms). */
  readonly intervalMs?: number;
  /** How long arrivals are kept for late (reordered) packets (default 500 ms). */
  readonly historyMs?: number;
  /** Packets per feedback message (default 500, keeps one message within a 1200-byte MTU). */
  readonly maxPacketStatusCount?: number;
}

const MAX_SPAN = 4096;

export class TwccFeedbackGenerator {
  feedbackSent = 0;
  packetsRecorded = 0;
  private readonly seqs = new Unwrapper(16);
  private readonly arrivals = new Map<number, number>();
  private windowStart: number | undefined;
  private highest: number | undefined;
  private mediaSsrc = 0;
  private feedbackPacketCount = 0;
  private nextSendAt: number | undefined;
  private readonly queue: TransportCcFeedback[] = [];
  private readonly interval: number;
  private readonly history: number;

  constructor(private readonly options: TwccFeedbackOptions) {
    this.interval = options.intervalMs ?? 50;
    this.history = options.historyMs ?? 500;
  }

  /** A packet arrived with transport-wide sequence number `transportSequence` (header extension). */
  handlePacket(now: number, transportSequence: number, mediaSsrc: number): void {
    const seq = this.seqs.unwrap(transportSequence & 0xffff);
    if (this.arrivals.has(seq)) return; // duplicate: report the first arrival
    if (this.highest !== undefined && seq < this.highest - 0x4000) return; // far too old
    this.arrivals.set(seq, now);
    this.packetsRecorded++;
    this.mediaSsrc = mediaSsrc >>> 0;
    if (this.windowStart === undefined || seq < this.windowStart) this.windowStart = seq;
    if (this.highest === undefined || seq > this.highest) this.highest = seq;
    this.nextSendAt ??= now + this.interval;
  }

  handleTimeout(now: number): void {
    if (this.nextSendAt === undefined || now < this.nextSendAt) return;
    this.nextSendAt = undefined;
    const end = this.highest;
    if (this.windowStart === undefined || end === undefined || end < this.windowStart) return;
    // After a jump, report at most MAX_SPAN sequence numbers (the rest would all be "lost").
    const start = Math.max(this.windowStart, end - MAX_SPAN + 1);
    const packets: TwccArrival[] = [];
    for (let s = start; s <= end; s++) {
      const at = this.arrivals.get(s);
      packets.push({ sequence: s & 0xffff, arrivalTimeUs: at === undefined ? undefined : Math.round(at * 1000) });
    }
    const messages = buildTransportCcFeedback({
      senderSsrc: this.options.senderSsrc,
      mediaSsrc: this.mediaSsrc,
      feedbackPacketCount: this.feedbackPacketCount,
      packets,
      maxPacketStatusCount: this.options.maxPacketStatusCount ?? 500,
    });
    for (const m of messages) this.queue.push(m);
    this.feedbackSent += messages.length;
    this.feedbackPacketCount = (this.feedbackPacketCount + messages.length) & 0xff;
    this.windowStart = end + 1;
    for (const [s, at] of this.arrivals) {
      if (s < end - 0x4000 || (now - at > this.history && s <= end)) this.arrivals.delete(s);
    }
  }

  pollTimeout(): number | undefined {
    return this.nextSendAt;
  }

  pollFeedback(): TransportCcFeedback | undefined {
    return this.queue.shift();
  }
}
