import { InvalidArgumentError } from '@rtcwire/common';
import type { RtpPacket } from '@rtcwire/rtp';
import type { Packetizer } from './types.js';

export interface RtpSequencerOptions {
  readonly ssrc: number;
  readonly payloadType: number;
  /** First sequence number; pick it at random (RFC 3550 §5.1) with an injected RandomSource. */
  readonly initialSequenceNumber: number;
}

/**
 * Turns a packetizer's payloads into `RtpPacket`s (from `@rtcwire/rtp`) for one stream: assigns
 * SSRC, payload type, consecutive sequence numbers and the frame's RTP timestamp. Encode them with
 * `encodeRtpPacket` and protect with `@rtcwire/srtp`.
 */
export class RtpSequencer {
  private sequenceNumber: number;

  constructor(
    private readonly packetizer: Packetizer,
    private readonly options: RtpSequencerOptions,
  ) {
    if (!Number.isInteger(options.payloadType) || options.payloadType < 0 || options.payloadType > 127) {
      throw new InvalidArgumentError('payload type must be 0..127');
    }
    this.sequenceNumber = options.initialSequenceNumber & 0xffff;
  }

  /** The sequence number the next packet will carry. */
  get nextSequenceNumber(): number {
    return this.sequenceNumber;
  }

  packetize(frame: Uint8Array, rtpTimestamp: number): RtpPacket[] {
    return this.packetizer.packetize(frame).map(({ payload, marker }) => {
      const packet: RtpPacket = {
        marker,
        payloadType: this.options.payloadType,
        sequenceNumber: this.sequenceNumber,
        timestamp: rtpTimestamp >>> 0,
        ssrc: this.options.ssrc >>> 0,
        csrcs: [],
        extensions: [],
        payload,
        paddingLength: 0,
      };
      this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
      return packet;
    });
  }
}
