/**
 * RTX reception (RFC 4588): recognises retransmissions by payload type (`apt` mapping, §8.6) and
 * SSRC (`ssrc-group:FID`, or learned from the `repaired-rtp-stream-id` header extension, RFC 8852
 * §3.2, when simulcast layers carry no SSRC in the SDP), restores the original packet from the OSN
 * (§4) and drops duplicates of packets already received, whichever copy came first.
 */
import { DropCounters, isParseError } from '@rtcwire/common';
import { fromRtxPacket, type RtpPacket } from '@rtcwire/rtp';
import { ReceivedWindow } from './received-window.js';

export interface RtxReceiverOptions {
  /** RTX payload type → associated (original) payload type, from `a=fmtp:<rtx> apt=<pt>`. */
  readonly payloadTypes: ReadonlyMap<number, number>;
  /** RTX SSRC → media SSRC, from `a=ssrc-group:FID <media> <rtx>`. */
  readonly ssrcs?: ReadonlyMap<number, number>;
  /** Dedupe window in packets (default 4096). */
  readonly windowSize?: number;
}

export type RtxResult =
  | { readonly kind: 'media'; readonly packet: RtpPacket; readonly retransmitted: boolean }
  | { readonly kind: 'duplicate'; readonly packet: RtpPacket; readonly retransmitted: boolean }
  | { readonly kind: 'dropped'; readonly reason: string };

export class RtxReceiver {
  readonly drops = new DropCounters();
  /** Originals restored from RTX (getStats `retransmittedPacketsReceived`). */
  retransmittedPacketsReceived = 0;
  retransmittedBytesReceived = 0;
  duplicates = 0;
  private readonly rtxToMedia = new Map<number, number>();
  private readonly ridToMedia = new Map<string, number>();
  private readonly windows = new Map<number, ReceivedWindow>();

  constructor(private readonly options: RtxReceiverOptions) {
    for (const [rtx, media] of options.ssrcs ?? []) this.rtxToMedia.set(rtx, media);
  }

  /** Pair an RTX SSRC with its media SSRC (FID group signalled or learned later). */
  addStream(rtxSsrc: number, mediaSsrc: number): void {
    this.rtxToMedia.set(rtxSsrc >>> 0, mediaSsrc >>> 0);
  }

  /** The media SSRC now carrying `rid` (RFC 8852), so RTX tagged with that repaired-rid can be paired. */
  setRid(rid: string, mediaSsrc: number): void {
    this.ridToMedia.set(rid, mediaSsrc >>> 0);
  }

  isRtxPayloadType(payloadType: number): boolean {
    return this.options.payloadTypes.has(payloadType);
  }

  /**
   * Classify one received packet. `repairedRid` is the packet's `repaired-rtp-stream-id` header
   * extension value, if any; `rid` its `rtp-stream-id` (used to learn rid → media SSRC).
   */
  handle(packet: RtpPacket, ids: { readonly rid?: string; readonly repairedRid?: string } = {}): RtxResult {
    const apt = this.options.payloadTypes.get(packet.payloadType);
    if (apt === undefined) {
      if (ids.rid !== undefined) this.ridToMedia.set(ids.rid, packet.ssrc);
      return this.dedupe(packet, false);
    }
    let mediaSsrc = this.rtxToMedia.get(packet.ssrc);
    if (mediaSsrc === undefined && ids.repairedRid !== undefined) {
      mediaSsrc = this.ridToMedia.get(ids.repairedRid);
      if (mediaSsrc !== undefined) this.rtxToMedia.set(packet.ssrc, mediaSsrc);
    }
    if (mediaSsrc === undefined) return this.drop('rtx_unknown_ssrc');
    // RFC 4588 §4 / libwebrtc: an RTX packet with no original payload is bandwidth-probe padding.
    if (packet.payload.length <= 2) return this.drop('rtx_padding');
    let original: RtpPacket;
    try {
      original = fromRtxPacket(packet, { ssrc: mediaSsrc, payloadType: apt });
    } catch (err) {
      if (!isParseError(err)) throw err;
      return this.drop('rtx_parse_error');
    }
    const result = this.dedupe(original, true);
    if (result.kind === 'media') {
      this.retransmittedPacketsReceived++;
      this.retransmittedBytesReceived += original.payload.length;
    }
    return result;
  }

  private dedupe(packet: RtpPacket, retransmitted: boolean): RtxResult {
    let window = this.windows.get(packet.ssrc);
    if (!window) {
      window = new ReceivedWindow(this.options.windowSize);
      this.windows.set(packet.ssrc, window);
    }
    if (window.add(packet.sequenceNumber)) return { kind: 'media', packet, retransmitted };
    this.duplicates++;
    return { kind: 'duplicate', packet, retransmitted };
  }

  private drop(reason: string): RtxResult {
    this.drops.add(reason);
    return { kind: 'dropped', reason };
  }
}
