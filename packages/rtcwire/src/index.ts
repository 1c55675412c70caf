// rtcwire: the package users install. The browser-shaped WebRTC API for Node.js, re-exported from the
// layers that implement it (@rtcwire/node's facade on @rtcwire/peer's sans-IO engine).

export {
  type CertificateFingerprint,
  type DtlsCredential,
  fingerprintOf,
  formatFingerprint,
  type GenerateCertificateOptions,
  type GeneratedCertificate,
  generateCertificate,
  loadPemCredential,
} from '@rtcwire/dtls';
export {
  type EncodedFrame,
  type FrameCodec,
  type IncompleteFrame,
  MediaStreamTrack,
  type RTCConfiguration,
  RTCIceCandidate,
  type RTCIceCandidateInit,
  type RTCIceServer,
  RTCPeerConnection,
  RTCPeerConnectionIceEvent,
  type RTCRtpCodecParameters,
  RTCRtpReceiver,
  RTCRtpSender,
  RTCRtpTransceiver,
  RTCSessionDescription,
  type RTCSessionDescriptionInit,
  RTCTrackEvent,
  type TrackRtpPacket,
} from '@rtcwire/node';
export {
  type CodecCapability,
  DEFAULT_AUDIO_CODECS,
  DEFAULT_VIDEO_CODECS,
  type NegotiatedCodec,
  type PeerConnectionState,
  type SignalingState,
} from '@rtcwire/peer';
