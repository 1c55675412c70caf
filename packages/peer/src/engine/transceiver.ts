import type { ReceiveStream, SendStream } from '@rtcwire/rtp-session';
import type { Direction, Extmap } from '@rtcwire/sdp';
import type { MediaKind } from '../jsep/capabilities.js';
import type { NegotiatedCodec } from '../jsep/codec-negotiation.js';

/** Send-side state of one transceiver (one SSRC, plus its RTX SSRC). */
export interface SenderState {
  readonly ssrc: number;
  readonly rtxSsrc: number;
  readonly cname: string;
  streamIds: string[];
  trackId: string;
  /** Next sequence number when the caller lets us number packets. */
  nextSequence: number;
  /** First sequence number of the RTX stream (RFC 4588 §8.3: random). */
  readonly rtxSequence: number;
  /**
   * Packet history and NACK responder, SR statistics and what the remote's reports say about this
   * SSRC (getStats outbound-rtp and remote-inbound-rtp).
   */
  readonly stream: SendStream;
}

export interface ReceiverState {
  /** Remote media SSRCs announced in SDP (a=ssrc) or learned from MID / payload type (RFC 8843 §9.2). */
  readonly ssrcs: Set<number>;
  /** Statistics, NACK and keyframe requests per remote media SSRC, from its first packet (getStats inbound-rtp). */
  readonly streams: Map<number, ReceiveStream>;
  /** RTX SSRC → media SSRC (RFC 4588 §8.1 ssrc-group FID). */
  readonly rtxSsrcs: Map<number, number>;
}

/** One transceiver as the engine keeps it (W3C RTCRtpTransceiver in spirit). */
export interface Transceiver {
  /** Stable id in creation order. */
  readonly id: number;
  mid: string | null;
  readonly kind: MediaKind;
  direction: Direction;
  currentDirection: Direction | null;
  stopped: boolean;
  readonly sender: SenderState;
  readonly receiver: ReceiverState;
  /** Negotiated once an answer is applied (local or remote). */
  codecs: NegotiatedCodec[];
  extensions: Extmap[];
  /** The m= line index it occupies, once associated. */
  mLineIndex: number | null;
  /** True once a `track` event was raised for the remote side of this transceiver. */
  trackAnnounced: boolean;
}
