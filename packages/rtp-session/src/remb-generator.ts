/**
 * Receiver-side bandwidth estimate sent as REMB (draft-alvestrand-rmcat-remb-03), for senders that
 * do not use transport-wide CC. The same GCC delay detector and AIMD controller as the send side
 * run on send times from `abs-send-time` (or RTP timestamps) versus local arrival times, with the
 * incoming bitrate as the reference. A report goes out every `intervalMs`, and at once when the
 * estimate falls by more than 3 %.
 */
import type { ReceiverEstimatedMaxBitrate } from '@rtcwire/rtp';
import { DelayDetector } from './delay-detector.js';
import { AimdRateControl, RateWindow } from './rate-control.js';

export interface RembGeneratorOptions {
  readonly senderSsrc: number;
  /** Period of regular reports (default 1000 ms). */
  readonly intervalMs?: number;
  readonly initialBitrate?: number;
  readonly minBitrate?: number;
  readonly maxBitrate?: number;
  /** Period of the send-time clock in ms: 64 000 for abs-send-time (default), 0 for none. */
  readonly sendTimeWrapMs?: number;
}

export class RembGenerator {
  rembSent = 0;
  private readonly detector = new DelayDetector();
  private readonly control: AimdRateControl;
  private readonly incoming = new RateWindow(1000);
  private readonly ssrcs = new Set<number>();
  private lastSendRaw: number | undefined;
  private sendOffset = 0;
  private lastSentAt: number | undefined;
  private lastSentBitrate: number | undefined;
  private nextAt: number | undefined;
  private readonly queue: ReceiverEstimatedMaxBitrate[] = [];
  private readonly interval: number;
  private readonly wrap: number;

  constructor(private readonly options: RembGeneratorOptions) {
    this.control = new AimdRateControl(options);
    this.interval = options.intervalMs ?? 1000;
    this.wrap = options.sendTimeWrapMs ?? 64_000;
  }

  get estimate(): number {
    return this.control.bitrate;
  }

  /** A media packet: arrival `now`, sender's send time in ms (e.g. `absSendTimeToMs`), size in bytes. */
  handlePacket(now: number, sendTimeMs: number, size: number, ssrc: number): void {
    this.ssrcs.add(ssrc >>> 0);
    this.incoming.add(now, size);
    const send = this.unwrapSendTime(sendTimeMs);
    const usage = this.detector.handlePacket(send, now, size);
    const before = this.control.bitrate;
    const after = this.control.update(now, usage, this.incoming.rate(now));
    this.nextAt ??= now + this.interval;
    // Report a drop immediately (the draft leaves timing to the receiver; libwebrtc does the same).
    if (this.lastSentBitrate !== undefined && after < this.lastSentBitrate * 0.97 && after < before) this.nextAt = now;
  }

  handleTimeout(now: number): void {
    if (this.nextAt === undefined || now < this.nextAt || this.ssrcs.size === 0) return;
    const bitrate = Math.floor(this.control.bitrate);
    this.queue.push({
      type: 'remb',
      senderSsrc: this.options.senderSsrc,
      mediaSsrc: 0,
      bitrate,
      ssrcs: [...this.ssrcs],
    });
    this.rembSent++;
    this.lastSentBitrate = bitrate;
    this.lastSentAt = now;
    this.nextAt = now + this.interval;
  }

  pollTimeout(): number | undefined {
    return this.nextAt;
  }

  pollRemb(): ReceiverEstimatedMaxBitrate | undefined {
    return this.queue.shift();
  }

  /** Time of the last report sent, if any. */
  get lastReportAt(): number | undefined {
    return this.lastSentAt;
  }

  private unwrapSendTime(raw: number): number {
    if (this.wrap > 0 && this.lastSendRaw !== undefined) {
      const d = raw - this.lastSendRaw;
      if (d < -this.wrap / 2) this.sendOffset += this.wrap;
      else if (d > this.wrap / 2) this.sendOffset -= this.wrap;
    }
    this.lastSendRaw = raw;
    return raw + this.sendOffset;
  }
}
