/**
 * Building transport-cc feedback from arrival times and reading arrival times back
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). Times are in microseconds on the
 * receiver's clock; the wire carries 64 ms reference times and 250 µs deltas.
 */
import { InvalidArgumentError, seq16Diff } from '@rtcwire/common';
import type { TransportCcFeedback } from './transport-cc.js';

export const TWCC_DELTA_TICK_US = 250;
export const TWCC_REFERENCE_TICK_US = 64_000;
const TICKS_PER_REFERENCE = TWCC_REFERENCE_TICK_US / TWCC_DELTA_TICK_US;

export interface TwccArrival {
  /** 16-bit transport-wide sequence number. */
  readonly sequence: number;
  /** Receive time in µs, or undefined when the packet was not received. */
  readonly arrivalTimeUs: number | undefined;
}

export interface TwccBuildOptions {
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  /** Counter of the first feedback; incremented (mod 256) for each additional one. */
  readonly feedbackPacketCount: number;
  /** Arrivals in sequence order (they may cross the 16-bit wrap); gaps count as lost. */
  readonly packets: readonly TwccArrival[];
  /**
   * Most packets one message may report (default 0xffff). Receive deltas take up to 2 bytes per
   * packet, so about 500 keeps a message within a 1200-byte MTU.
   */
  readonly maxPacketStatusCount?: number;
}

/**
 * Build feedback messages for `packets`. Usually one; a new message starts whenever a receive
 * delta does not fit the signed 16-bit field (gaps over ~8 s), as libwebrtc does, or when
 * `maxPacketStatusCount` is reached.
 */
export function buildTransportCcFeedback(options: TwccBuildOptions): TransportCcFeedback[] {
  const maxCount = options.maxPacketStatusCount ?? 0xffff;
  if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > 0xffff) {
    throw new InvalidArgumentError(`maxPacketStatusCount ${maxCount} outside 1-65535`);
  }
  const out: TransportCcFeedback[] = [];
  const packets = options.packets;
  let feedbackPacketCount = options.feedbackPacketCount & 0xff;
  let start = 0;
  while (start < packets.length) {
    const baseSequence = (packets[start] as TwccArrival).sequence & 0xffff;
    const firstReceived = packets.slice(start).find((p) => p.arrivalTimeUs !== undefined);
    const referenceUnwrapped =
      firstReceived === undefined ? 0 : Math.floor((firstReceived.arrivalTimeUs as number) / TWCC_REFERENCE_TICK_US);
    let lastTicks = referenceUnwrapped * TICKS_PER_REFERENCE;
    const deltas: (number | null)[] = [];
    let i = start;
    for (; i < packets.length; i++) {
      const p = packets[i] as TwccArrival;
      const index = seq16Diff(p.sequence, baseSequence);
      if (index < deltas.length) {
        throw new InvalidArgumentError(`TWCC packets out of order at sequence ${p.sequence}`);
      }
      if (index >= maxCount) break;
      if (p.arrivalTimeUs === undefined) {
        while (deltas.length <= index) deltas.push(null);
        continue;
      }
      const ticks = Math.round(p.arrivalTimeUs / TWCC_DELTA_TICK_US);
      const delta = ticks - lastTicks;
      if (delta < -0x8000 || delta > 0x7fff) {
        if (i === start) throw new InvalidArgumentError('arrival time before the reference time');
        break;
      }
      while (deltas.length < index) deltas.push(null);
      deltas.push(delta);
      lastTicks = ticks;
    }
    out.push({
      type: 'twcc',
      senderSsrc: options.senderSsrc,
      mediaSsrc: options.mediaSsrc,
      baseSequence,
      referenceTime: referenceUnwrapped & 0xffffff,
      feedbackPacketCount,
      deltas,
    });
    feedbackPacketCount = (feedbackPacketCount + 1) & 0xff;
    start = i;
  }
  return out;
}

/** Sequence numbers and receive times (µs, from `referenceTime × 64 ms`) of every packet reported. */
export function transportCcArrivals(feedback: TransportCcFeedback): TwccArrival[] {
  const out: TwccArrival[] = [];
  let ticks = feedback.referenceTime * TICKS_PER_REFERENCE;
  for (let i = 0; i < feedback.deltas.length; i++) {
    const delta = feedback.deltas[i];
    const sequence = (feedback.baseSequence + i) & 0xffff;
    if (delta === null || delta === undefined) {
      out.push({ sequence, arrivalTimeUs: undefined });
    } else {
      ticks += delta;
      out.push({ sequence, arrivalTimeUs: ticks * TWCC_DELTA_TICK_US });
    }
  }
  return out;
}
