/**
 * Send-side bandwidth estimation fed by transport-wide CC feedback, in the spirit of GCC
 * (draft-ietf-rmcat-gcc-02): every sent packet gets a transport-wide sequence number and is
 * remembered with its send time and size; each feedback pairs them with arrival times for the
 * delay-based controller (§5) and counts losses for the loss-based one (§6). The estimate is the
 * smaller of the two: getStats' `availableOutgoingBitrate`.
 */
import { Unwrapper } from '@rtcwire/common';
import { type TransportCcFeedback, transportCcArrivals } from '@rtcwire/rtp';
import { DelayDetector, type DelayDetectorOptions } from './delay-detector.js';
import { AimdRateControl, RateWindow } from './rate-control.js';
import { nearestUnwrapped } from './serial.js';

export interface SendSideBweOptions extends DelayDetectorOptions {
  readonly initialBitrate?: number;
  readonly minBitrate?: number;
  readonly maxBitrate?: number;
  /** Sent packets remembered for matching feedback (default 2000 ms). */
  readonly historyMs?: number;
}

interface Sent {
  readonly at: number;
  readonly size: number;
  acked: boolean;
  reported: boolean;
}

export class SendSideBandwidthEstimator {
  packetsReported = 0;
  packetsLostReported = 0;
  private readonly sent = new Map<number, Sent>();
  private readonly sentSeqs = new Unwrapper(16);
  private nextSequence = 0;
  private readonly detector: DelayDetector;
  private readonly delayBased: AimdRateControl;
  private readonly acked = new RateWindow(500);
  private lossBased: number;
  private lossWindowReported = 0;
  private lossWindowLost = 0;
  private lastLossUpdate: number | undefined;
  private readonly history: number;
  private ackedNow: number | undefined;

  constructor(options: SendSideBweOptions = {}) {
    this.detector = new DelayDetector(options);
    this.delayBased = new AimdRateControl(options);
    this.lossBased = this.delayBased.maxBitrate;
    this.history = options.historyMs ?? 2000;
  }

  /** The estimate in bit/s (getStats `availableOutgoingBitrate`). */
  get availableOutgoingBitrate(): number {
    return Math.max(this.delayBased.minBitrate, Math.min(this.delayBased.bitrate, this.lossBased));
  }

  get delayState(): string {
    return this.detector.state;
  }

  /** Allocate the transport-wide sequence number for the next packet (write it into the extension). */
  allocateSequence(): number {
    const s = this.nextSequence;
    this.nextSequence = (this.nextSequence + 1) & 0xffff;
    return s;
  }

  /** A packet carrying `transportSequence` left at `now` with `size` bytes (payload + headers). */
  handlePacketSent(now: number, transportSequence: number, size: number): void {
    const seq = this.sentSeqs.unwrap(transportSequence & 0xffff);
    this.sent.set(seq, { at: now, size, acked: false, reported: false });
    for (const [s, p] of this.sent) {
      if (now - p.at <= this.history) break;
      this.sent.delete(s);
    }
  }

  handleFeedback(now: number, feedback: TransportCcFeedback): void {
    let lost = 0;
    let reported = 0;
    const highest = this.sentSeqs.highest;
    if (highest === undefined) return;
    for (const a of transportCcArrivals(feedback)) {
      const seq = nearestUnwrapped(a.sequence, highest);
      const p = this.sent.get(seq);
      if (!p || p.acked) continue; // unknown, too old, or already acknowledged
      if (a.arrivalTimeUs === undefined) {
        if (!p.reported) {
          p.reported = true;
          reported++;
          lost++;
        }
        continue;
      }
      if (!p.reported) reported++;
      else lost--; // reported lost before, arrived after all (reordering)
      p.reported = true;
      p.acked = true;
      const arrivalMs = a.arrivalTimeUs / 1000;
      this.acked.add(arrivalMs, p.size);
      this.detector.handlePacket(p.at, arrivalMs, p.size);
      this.ackedNow = arrivalMs;
    }
    this.packetsReported += reported;
    this.packetsLostReported += lost;
    const received = this.ackedNow === undefined ? undefined : this.acked.rate(this.ackedNow);
    this.delayBased.update(now, this.detector.state, received);
    this.updateLossBased(now, reported, lost);
  }

  /** §6: loss-based controller, evaluated over at least 20 reported packets. */
  private updateLossBased(now: number, reported: number, lost: number): void {
    this.lossWindowReported += reported;
    this.lossWindowLost += lost;
    if (this.lossWindowReported < 20) return;
    const loss = Math.max(0, this.lossWindowLost / this.lossWindowReported);
    this.lossWindowReported = 0;
    this.lossWindowLost = 0;
    const dt = this.lastLossUpdate === undefined ? 0 : now - this.lastLossUpdate;
    this.lastLossUpdate = now;
    if (loss > 0.1) {
      // §6: As_hat = As_hat × (1 − 0.5 p) when more than 10 % is lost.
      const current = Math.min(this.lossBased, this.delayBased.bitrate);
      this.lossBased = Math.max(this.delayBased.minBitrate, current * (1 - 0.5 * loss));
    } else if (loss < 0.02) {
      // Recover by 5 %/s; once well above the delay-based estimate, stop constraining it.
      const current = Math.min(this.lossBased, this.delayBased.bitrate * 1.5);
      this.lossBased = Math.min(this.delayBased.maxBitrate, Math.max(current, current * 1.05 ** (dt / 1000) + 1000));
      if (this.lossBased >= this.delayBased.bitrate * 1.5) this.lossBased = this.delayBased.maxBitrate;
    } else {
      this.lossBased = Math.min(this.lossBased, this.delayBased.maxBitrate);
    }
  }
}
