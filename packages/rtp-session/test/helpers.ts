import type { RtpPacket } from '@rtcwire/rtp';

export function rtp(sequenceNumber: number, fields: Partial<RtpPacket> = {}): RtpPacket {
  return {
    marker: false,
    payloadType: 96,
    sequenceNumber: sequenceNumber & 0xffff,
    timestamp: 1000,
    ssrc: 0xabc,
    csrcs: [],
    extensions: [],
    payload: Uint8Array.of(sequenceNumber & 0xff, 1, 2, 3),
    paddingLength: 0,
    ...fields,
  };
}
