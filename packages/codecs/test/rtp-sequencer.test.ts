import { decodeRtpPacket, encodeRtpPacket } from '@rtcwire/rtp';
import { describe, expect, it } from 'vitest';
import { RtpSequencer } from '../src/rtp-sequencer.js';
import { Vp8Depacketizer, Vp8Packetizer } from '../src/vp8.js';
import { assemble, fixture, frames, ivfFrames } from './helpers.js';

describe('RtpSequencer', () => {
  it('numbers packets across the wrap and round-trips through @rtcwire/rtp encode/decode', () => {
    const vp8 = ivfFrames(fixture('vp8.ivf'));
    const seq = new RtpSequencer(new Vp8Packetizer({ maxPayloadSize: 1000 }), {
      ssrc: 0x12345678,
      payloadType: 96,
      initialSequenceNumber: 65534,
    });
    const packets = vp8.flatMap((f, i) => seq.packetize(f, 0xfffff000 + i * 3000));
    expect(packets.map((p) => p.sequenceNumber).slice(0, 3)).toEqual([65534, 65535, 0]);
    expect(packets[0]).toMatchObject({ ssrc: 0x12345678, payloadType: 96, timestamp: 0xfffff000 });
    const wire = packets.map((p) => decodeRtpPacket(encodeRtpPacket(p)));
    expect(frames(assemble(new Vp8Depacketizer(), wire)).map((f) => f.data)).toEqual(vp8);
    expect(
      () =>
        new RtpSequencer(new Vp8Packetizer({ maxPayloadSize: 100 }), {
          ssrc: 1,
          payloadType: 128,
          initialSequenceNumber: 0,
        }),
    ).toThrow();
  });
});
