/**
 * The SDP model (RFC 8866). Lossless for what rtcwire does not interpret: every line keeps its
 * place. Attributes are kept as `name[:value]` pairs in order; typed accessors (attributes.ts,
 * media.ts) read and write them without discarding the rest.
 */
export interface SdpAttribute {
  readonly name: string;
  /** Text after the first ':'; undefined for property attributes such as `a=rtcp-mux`. */
  readonly value?: string;
}

/** A non-attribute line we carry through unchanged (i=, u=, e=, p=, b=, z=, k=, r=, and unknown types). */
export interface SdpLine {
  readonly type: string;
  readonly value: string;
}

export interface SdpOrigin {
  username: string;
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addressType: string;
  address: string;
}

export interface SdpConnection {
  netType: string;
  addressType: string;
  address: string;
}

export interface SdpMedia {
  /** `audio`, `video`, `application`, … */
  kind: string;
  port: number;
  numberOfPorts?: number;
  protocol: string;
  /** Payload types (RTP) or format names (e.g. `webrtc-datachannel`). */
  formats: string[];
  connection?: SdpConnection;
  /** Other lines of the section (i=, b=, k=, …) in their original order. */
  lines: SdpLine[];
  attributes: SdpAttribute[];
}

export interface SessionDescription {
  version: number;
  origin: SdpOrigin;
  sessionName: string;
  /** `t=` lines, as text (`0 0` for WebRTC). */
  timing: string[];
  connection?: SdpConnection;
  lines: SdpLine[];
  attributes: SdpAttribute[];
  media: SdpMedia[];
}
