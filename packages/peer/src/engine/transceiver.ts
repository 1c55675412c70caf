import type { Direction, Extmap } from '@rtcwire/sdp';
import type { MediaKind } from '../jsep/capabilities.js';
import type { NegotiatedCodec } from '../jsep/codec-negotiation.js';
import type { ReceiveStatistics } from './receive-stats.js';
import type { RemoteReport } from './remote-report.js';

/** Send-side state of one transceiver (one SSRC, plus its RTX SSRC). */
export interface SenderState {
  readonly ssrc: number;
  readonly rtxSsrc: number;
  readonly cname: string;
  streamIds: string[];
  trackId: string;
  /** Next sequence number when the caller lets us number packets. */
  nextSequence: number;
  rtxSequence: number;
  packetsSent: number;
  bytesSent: number;
  /** For SR: the last RTP timestamp sent and when (ms), to extrapolate the RTP time of the report. */
  lastRtpTimestamp: number | undefined;
  lastSentMs: number | undefined;
  retransmittedPacketsSent: number;
  /** The remote's latest report about our SSRC (RTCP SR/RR report block), for remote-inbound-rtp. */
  remoteReport: RemoteReport | undefined;
}

export interface ReceiverState {
  /** Media SSRCs learnt from SDP, MID or payload type, with their statistics. */
  readonly streams: Map<number, ReceiveStatistics>;
  /** RTX SSRC → media SSRC (RFC 4588 §8.1 ssrc-group FID). */
  readonly rtxSsrcs: Map<number, number>;
  pliSent: number;
  firSent: number;
  nackSent: number;
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
