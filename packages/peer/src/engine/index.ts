export { createSendStream } from './apply-description.js';
export { classifyPacket, type PacketClass } from './demux.js';
export { MediaEngine, type MediaEvent } from './media-engine.js';
export {
  associateByMid,
  associateLine,
  keptSection,
  type OfferSlot,
  planOfferLayout,
  settleStopped,
} from './mline-reuse.js';
export { isNegotiationNeeded, type NegotiationNeededOptions } from './negotiation-needed.js';
export { PeerConnectionCore } from './peer-core.js';
export { type ResolvedRtpFeatures, type RtpFeatures, resolveRtpFeatures } from './rtp-features.js';
export { SecureTransport, type SecureTransportEvent } from './secure-transport.js';
export type { ReceiverState, SenderState, Transceiver } from './transceiver.js';
export { bundleTransportChanged, candidateKey, candidateKeyOf, transportSection } from './transport-change.js';
export type { PeerConnectionState, PeerCoreOptions, PeerEvent, SdpType, SignalingState } from './types.js';
