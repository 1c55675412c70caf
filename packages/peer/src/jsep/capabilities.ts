/**
 * What rtcwire can send and receive, as SDP codecs and header extensions. Packetization is
 * profile-agnostic (we never decode), so any H.264 profile could be carried; we advertise the two
 * baseline profiles browsers universally decode, and match others only by exact profile.
 */
export type MediaKind = 'audio' | 'video';

export interface RtcpFeedbackSpec {
  type: string;
  parameter?: string;
}

export interface CodecCapability {
  kind: MediaKind;
  /** Encoding name as in rtpmap, e.g. `opus`, `VP8`, `H264`, `rtx`. */
  name: string;
  clockRate: number;
  channels?: number;
  parameters: ReadonlyMap<string, string>;
  feedback: readonly RtcpFeedbackSpec[];
  /** Payload type used when we offer. */
  preferredPayloadType: number;
}

export interface HeaderExtensionCapability {
  kind: MediaKind;
  uri: string;
  preferredId: number;
}

const VIDEO_FEEDBACK: RtcpFeedbackSpec[] = [
  { type: 'goog-remb' },
  { type: 'transport-cc' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
];

function video(name: string, pt: number, params: Record<string, string> = {}): CodecCapability {
  return {
    kind: 'video',
    name,
    clockRate: 90000,
    parameters: new Map(Object.entries(params)),
    feedback: VIDEO_FEEDBACK,
    preferredPayloadType: pt,
  };
}

export const DEFAULT_AUDIO_CODECS: readonly CodecCapability[] = [
  {
    kind: 'audio',
    name: 'opus',
    clockRate: 48000,
    channels: 2,
    parameters: new Map([
      ['minptime', '10'],
      ['useinbandfec', '1'],
    ]),
    feedback: [{ type: 'transport-cc' }],
    preferredPayloadType: 111,
  },
];

/** Video codecs in our preference order. RTX is added per codec when negotiating. */
export const DEFAULT_VIDEO_CODECS: readonly CodecCapability[] = [
  video('VP8', 96),
  video('VP9', 98, { 'profile-id': '0' }),
  video('H264', 102, { 'level-asymmetry-allowed': '1', 'packetization-mode': '1', 'profile-level-id': '42e01f' }),
  video('H264', 104, { 'level-asymmetry-allowed': '1', 'packetization-mode': '1', 'profile-level-id': '42001f' }),
  video('AV1', 45, { 'level-idx': '5', profile: '0', tier: '0' }),
];

/** RTX payload types we offer, keyed by the primary codec's preferred payload type. */
export const DEFAULT_RTX_PAYLOAD_TYPES: ReadonlyMap<number, number> = new Map([
  [96, 97],
  [98, 99],
  [102, 103],
  [104, 105],
  [45, 46],
]);

export const HDREXT = {
  audioLevel: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  absSendTime: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  transportCc: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  mid: 'urn:ietf:params:rtp-hdrext:sdes:mid',
  rid: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  repairedRid: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  videoOrientation: 'urn:3gpp:video-orientation',
  playoutDelay: 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  absCaptureTime: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time',
} as const;

export const DEFAULT_HEADER_EXTENSIONS: readonly HeaderExtensionCapability[] = [
  { kind: 'audio', uri: HDREXT.audioLevel, preferredId: 1 },
  { kind: 'audio', uri: HDREXT.absSendTime, preferredId: 2 },
  { kind: 'audio', uri: HDREXT.transportCc, preferredId: 3 },
  { kind: 'audio', uri: HDREXT.mid, preferredId: 4 },
  { kind: 'video', uri: HDREXT.absSendTime, preferredId: 2 },
  { kind: 'video', uri: HDREXT.transportCc, preferredId: 3 },
  { kind: 'video', uri: HDREXT.mid, preferredId: 4 },
  { kind: 'video', uri: HDREXT.rid, preferredId: 10 },
  { kind: 'video', uri: HDREXT.repairedRid, preferredId: 11 },
  { kind: 'video', uri: HDREXT.videoOrientation, preferredId: 13 },
  { kind: 'video', uri: HDREXT.playoutDelay, preferredId: 5 },
];
