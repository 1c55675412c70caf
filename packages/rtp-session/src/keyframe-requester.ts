/**
 * Keyframe requests on decoder demand (RFC 4585 §6.3.1 PLI, RFC 5104 §4.3.1 FIR), rate limited:
 * at most one request per `minIntervalMs`; a request inside the interval is remembered and sent
 * when the interval ends, unless a keyframe arrived meanwhile. Sans-IO: `request`, `handleTimeout`,
 * `pollRequest`, `pollTimeout`.
 */
import type { FullIntraRequest, PictureLossIndication } from '@rtcwire/rtp';

export interface KeyframeRequesterOptions {
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  /** 'pli' (default) or 'fir' (RFC 5104, when negotiated as `ccm fir`). */
  readonly method?: 'pli' | 'fir';
  /** Minimum spacing of requests (default 500 ms). */
  readonly minIntervalMs?: number;
}

export type KeyframeRequest = PictureLossIndication | FullIntraRequest;

export class KeyframeRequester {
  pliCount = 0;
  firCount = 0;
  private lastSentAt: number | undefined;
  private pending = false;
  private firSequence = 0;
  private readonly queue: KeyframeRequest[] = [];
  private readonly minInterval: number;

  constructor(private readonly options: KeyframeRequesterOptions) {
    this.minInterval = options.minIntervalMs ?? 500;
  }

  /** Ask for a keyframe now (decoder error, given-up NACKs, new subscriber). */
  request(now: number): void {
    this.pending = true;
    this.handleTimeout(now);
  }

  /** A keyframe arrived: a pending request is no longer needed. */
  handleKeyframe(): void {
    this.pending = false;
  }

  handleTimeout(now: number): void {
    if (!this.pending) return;
    if (this.lastSentAt !== undefined && now - this.lastSentAt < this.minInterval) return;
    this.pending = false;
    this.lastSentAt = now;
    const { senderSsrc, mediaSsrc } = this.options;
    if (this.options.method === 'fir') {
      this.firCount++;
      // RFC 5104 §4.3.1.1: the command sequence number increases per new request.
      const sequenceNumber = this.firSequence;
      this.firSequence = (this.firSequence + 1) & 0xff;
      this.queue.push({ type: 'fir', senderSsrc, mediaSsrc: 0, entries: [{ ssrc: mediaSsrc, sequenceNumber }] });
    } else {
      this.pliCount++;
      this.queue.push({ type: 'pli', senderSsrc, mediaSsrc });
    }
  }

  pollTimeout(): number | undefined {
    if (!this.pending || this.lastSentAt === undefined) return undefined;
    return this.lastSentAt + this.minInterval;
  }

  pollRequest(): KeyframeRequest | undefined {
    return this.queue.shift();
  }
}
