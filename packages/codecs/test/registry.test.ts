import { describe, expect, it } from 'vitest';
import { H264Packetizer } from '../src/h264.js';
import { codecName, createDepacketizer, createPacketizer } from '../src/registry.js';
import { Vp9Depacketizer } from '../src/vp9.js';

describe('codec registry', () => {
  it('maps rtpmap encoding names case-insensitively', () => {
    expect(['OPUS', 'vp8', 'Vp9', 'h264', 'AV1', 'PCMU'].map(codecName)).toEqual([
      'opus',
      'VP8',
      'VP9',
      'H264',
      'AV1',
      undefined,
    ]);
    expect(createDepacketizer('vp9')).toBeInstanceOf(Vp9Depacketizer);
    const h264 = createPacketizer('H264', { maxPayloadSize: 1000, packetizationMode: 0 });
    expect(h264).toBeInstanceOf(H264Packetizer);
    expect(h264.maxPayloadSize).toBe(1000);
    expect(() => createPacketizer('G722', { maxPayloadSize: 1000 })).toThrow(/no RTP payload format/);
  });
});
