import type { Logger, Millis, RandomSource, SocketAddress } from '@rtcwire/common';
import type { DtlsConnectionInfo, DtlsCredential, DtlsState } from '@rtcwire/dtls';
import type { IceConnectionState, IceGatheringState, TurnServerConfig } from '@rtcwire/ice';
import type { RtpPacket } from '@rtcwire/rtp';
import type { CodecCapability, HeaderExtensionCapability, MediaKind } from '../jsep/capabilities.js';
import type { NegotiatedCodec } from '../jsep/codec-negotiation.js';
import type { RtpFeatures } from './rtp-features.js';

export type SignalingState = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed';
export type PeerConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type SdpType = 'offer' | 'answer';

export interface PeerCoreOptions {
  /** Secure randomness: ICE credentials, DTLS randoms, SSRCs. */
  random: RandomSource;
  /** Our DTLS certificate and key (generate with @rtcwire/dtls' generateCertificate). */
  certificate: DtlsCredential;
  /** Local sockets the driver opened; each becomes a host candidate. */
  localAddresses: readonly SocketAddress[];
  stunServers?: readonly SocketAddress[];
  turnServers?: readonly TurnServerConfig[];
  /** Relay-only: drop host and server-reflexive candidates from what we offer (iceTransportPolicy 'relay'). */
  relayOnly?: boolean;
  /** DTLS role when answering an `actpass` offer: `passive` (default: we are the DTLS server and pick GCM) or `active`. */
  answerSetup?: 'passive' | 'active';
  /** DTLS-SRTP profile ids in preference order; default GCM 128, GCM 256, AES-CM-80, AES-CM-32. */
  srtpProfiles?: readonly number[];
  codecs?: { audio?: readonly CodecCapability[]; video?: readonly CodecCapability[] };
  headerExtensions?: readonly HeaderExtensionCapability[];
  /** NACK/RTX, TWCC, REMB, pacer, jitter buffer (`@rtcwire/rtp-session`); see `RtpFeatures` for defaults. */
  rtp?: RtpFeatures;
  /** Unix ms for an engine time (for RTCP NTP timestamps); the node layer passes its wall clock offset. */
  wallClockMs: (now: Millis) => number;
  logger?: Logger;
}

export type PeerEvent =
  | { type: 'signaling-state'; state: SignalingState }
  | { type: 'connection-state'; state: PeerConnectionState }
  | { type: 'ice-connection-state'; state: IceConnectionState }
  | { type: 'ice-gathering-state'; state: IceGatheringState }
  /** A local candidate for trickle (null candidate = end of candidates). */
  | { type: 'ice-candidate'; candidate: string | null; sdpMid: string | null; sdpMLineIndex: number | null }
  | { type: 'dtls-state'; state: DtlsState }
  | { type: 'dtls-connected'; info: DtlsConnectionInfo }
  /** A transceiver now receives remote media (W3C `track`). */
  | { type: 'track'; transceiverId: number; mid: string; kind: MediaKind }
  | { type: 'rtp'; transceiverId: number; mid: string; packet: RtpPacket; codec: NegotiatedCodec; receivedAtMs: Millis }
  | { type: 'sender-report'; transceiverId: number; mid: string; ssrc: number; ntpUnixMs: number; rtpTimestamp: number }
  | { type: 'keyframe-request'; transceiverId: number; mid: string; method: 'pli' | 'fir' }
  | { type: 'mdns-resolve'; name: string };
