/**
 * RTP retransmission payload format (RFC 4588 §4): an RTX packet carries the original sequence
 * number (OSN) in the first two payload bytes, then the original payload, on its own SSRC,
 * payload type and sequence space. Header fields other than those are copied unchanged.
 */
import { InvalidArgumentError, ParseError } from '@rtcwire/common';
import type { RtpPacket } from './rtp-packet.js';

export interface RtxStream {
  readonly ssrc: number;
  readonly payloadType: number;
}

/** Wrap `original` for retransmission on the RTX stream with the given RTX sequence number. */
export function toRtxPacket(original: RtpPacket, rtx: RtxStream, rtxSequenceNumber: number): RtpPacket {
  if (!Number.isInteger(rtxSequenceNumber) || rtxSequenceNumber < 0 || rtxSequenceNumber > 0xffff) {
    throw new InvalidArgumentError(`RTX sequence number ${rtxSequenceNumber}`);
  }
  const payload = new Uint8Array(2 + original.payload.length);
  // RFC 4588 §4: the OSN precedes the original payload.
  payload[0] = original.sequenceNumber >>> 8;
  payload[1] = original.sequenceNumber & 0xff;
  payload.set(original.payload, 2);
  return {
    ...original,
    ssrc: rtx.ssrc,
    payloadType: rtx.payloadType,
    sequenceNumber: rtxSequenceNumber,
    payload,
    paddingLength: 0,
  };
}

/**
 * Recover the original packet from an RTX packet, given the original stream's SSRC and payload
 * type (from the SDP `apt` and `ssrc-group:FID`). Throws `ParseError` when the payload has no OSN.
 * An RTX packet with an empty original payload (only OSN) is valid. The payload is a view.
 */
export function fromRtxPacket(rtx: RtpPacket, original: RtxStream): RtpPacket {
  if (rtx.payload.length < 2) {
    throw new ParseError('truncated', 'RTX payload shorter than the original sequence number', rtx.payload.length);
  }
  return {
    ...rtx,
    ssrc: original.ssrc,
    payloadType: original.payloadType,
    sequenceNumber: ((rtx.payload[0] as number) << 8) | (rtx.payload[1] as number),
    payload: rtx.payload.subarray(2),
    paddingLength: 0,
  };
}
