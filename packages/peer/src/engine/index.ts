export { classifyPacket, type PacketClass } from './demux.js';
export {
  associateByMid,
  associateLine,
  keptSection,
  type OfferSlot,
  planOfferLayout,
  settleStopped,
} from './mline-reuse.js';
export { MediaEngine, type MediaEvent } from './media-engine.js';
export { NackGenerator, type NackGeneratorOptions } from './nack-generator.js';
export { PeerConnectionCore } from './peer-core.js';
export { ReceiveStatistics } from './receive-stats.js';
export { applyReportBlock, type RemoteReport } from './remote-report.js';
export { bundleTransportChanged, candidateKey, candidateKeyOf, transportSection } from './transport-change.js';
export { SecureTransport, type SecureTransportEvent } from './secure-transport.js';
export type { ReceiverState, SenderState, Transceiver } from './transceiver.js';
export type { PeerConnectionState, PeerCoreOptions, PeerEvent, SdpType, SignalingState } from './types.js';
