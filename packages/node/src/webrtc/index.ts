export { type RTCIceServer, resolveIceServers } from './config.js';
export type { FrameCodec } from './media-codecs.js';
export {
  type RTCConfiguration,
  RTCIceCandidate,
  type RTCIceCandidateInit,
  RTCPeerConnection,
  RTCPeerConnectionIceEvent,
  RTCSessionDescription,
  type RTCSessionDescriptionInit,
  RTCTrackEvent,
} from './peer-connection.js';
export { type RTCRtpCodecParameters, RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver } from './rtp-objects.js';
export { type EncodedFrame, type IncompleteFrame, MediaStreamTrack, type TrackRtpPacket } from './track.js';
