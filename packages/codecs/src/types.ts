/**
 * Shared shapes for every codec: what a packetizer returns, what a depacketizer consumes, and what
 * the frame assembler emits. They are structural, so an `RtpPacket` from `@rtcwire/rtp` (which has
 * `sequenceNumber`, `timestamp`, `marker` and `payload`) can be passed straight in.
 */

/** One RTP payload produced by a packetizer, with the RTP marker bit it must be sent with. */
export interface RtpPayload {
  readonly payload: Uint8Array;
  readonly marker: boolean;
}

/** The fields of a received RTP packet that depacketization needs. */
export interface RtpPacketLike {
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
}

/** A packetizer turns one encoded frame into RTP payloads, none longer than its `maxPayloadSize`. */
export interface Packetizer {
  readonly maxPayloadSize: number;
  packetize(frame: Uint8Array): RtpPayload[];
}

/**
 * What a codec learns from one RTP payload, before frame assembly.
 * - `frameStart`: `true` when the payload certainly starts a frame, `false` when it certainly does
 *   not, `undefined` when the format cannot tell (the assembler then relies on sequence continuity).
 * - `frameEnd`: overrides the RTP marker bit for formats where every packet is a frame (audio).
 */
export interface DepacketizedPayload {
  readonly frameStart: boolean | undefined;
  readonly frameEnd?: boolean;
}

/** Per-frame facts a depacketizer derives while joining the payloads of one frame. */
export interface AssembledMedia {
  readonly data: Uint8Array;
  readonly keyframe: boolean;
  readonly width?: number;
  readonly height?: number;
}

/**
 * The codec half of depacketization: `parse` reads one payload (throwing `ParseError` on malformed
 * input) and `assemble` joins the parsed payloads of one complete frame, in sequence order.
 * `assemble` may return `undefined` when the payloads do not form a valid frame (e.g. an
 * unterminated fragment); the assembler reports that frame as incomplete.
 */
export interface Depacketizer<P extends DepacketizedPayload = DepacketizedPayload> {
  parse(payload: Uint8Array): P;
  assemble(parts: readonly P[]): AssembledMedia | undefined;
}
