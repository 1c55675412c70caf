import {
  codecName,
  createPacketizer as createCodecPacketizer,
  createDepacketizer,
  FrameAssembler,
  type Packetizer,
} from '@rtcwire/codecs';

/** Codec names as tracks report them (rtpmap encoding names, Opus upper-cased). */
export type FrameCodec = 'VP8' | 'VP9' | 'H264' | 'AV1' | 'OPUS';

export function frameCodecOf(name: string): FrameCodec | undefined {
  const n = codecName(name);
  return n === undefined ? undefined : n === 'opus' ? 'OPUS' : n;
}

/** A frame assembler for received RTP of this codec (depacketizer from @rtcwire/codecs' registry). */
export function createAssembler(codec: FrameCodec): FrameAssembler {
  return new FrameAssembler(createDepacketizer(codec));
}

/** A packetizer for frames we send; 1,200-byte RTP payloads keep packets under common MTUs. */
export function createPacketizer(codec: FrameCodec, maxPayloadSize = 1200): Packetizer {
  return createCodecPacketizer(codec, { maxPayloadSize });
}
