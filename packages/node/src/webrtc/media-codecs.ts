import {
  Av1Depacketizer,
  Av1Packetizer,
  type Depacketizer,
  FrameAssembler,
  H264Depacketizer,
  H264Packetizer,
  OpusDepacketizer,
  OpusPacketizer,
  type Packetizer,
  Vp8Depacketizer,
  Vp8Packetizer,
  Vp9Depacketizer,
  Vp9Packetizer,
} from '@rtcwire/codecs';

/** Codec names as negotiated in SDP (rtpmap encoding names). */
export type FrameCodec = 'VP8' | 'VP9' | 'H264' | 'AV1' | 'OPUS';

export function frameCodecOf(name: string): FrameCodec | undefined {
  const n = name.toUpperCase();
  return n === 'VP8' || n === 'VP9' || n === 'H264' || n === 'AV1' || n === 'OPUS' ? n : undefined;
}

/** A frame assembler for received RTP of this codec. */
export function createAssembler(codec: FrameCodec): FrameAssembler {
  const depacketizer: Depacketizer = (() => {
    switch (codec) {
      case 'VP8':
        return new Vp8Depacketizer();
      case 'VP9':
        return new Vp9Depacketizer();
      case 'H264':
        return new H264Depacketizer();
      case 'AV1':
        return new Av1Depacketizer();
      case 'OPUS':
        return new OpusDepacketizer();
    }
  })() as Depacketizer;
  return new FrameAssembler(depacketizer);
}

/** A packetizer for frames we send with this codec; 1,200-byte RTP payloads keep packets under common MTUs. */
export function createPacketizer(codec: FrameCodec, maxPayloadSize = 1200): Packetizer {
  switch (codec) {
    case 'VP8':
      return new Vp8Packetizer({ maxPayloadSize });
    case 'VP9':
      return new Vp9Packetizer({ maxPayloadSize });
    case 'H264':
      return new H264Packetizer({ maxPayloadSize });
    case 'AV1':
      return new Av1Packetizer({ maxPayloadSize });
    case 'OPUS':
      return new OpusPacketizer({ maxPayloadSize });
  }
}
