export * from './ivf.js';
export { type EbmlElement, encodeElement, encodeElements, vint, voidElement } from './ebml.js';
export {
  type FilePatch,
  type MatroskaCodec,
  type MatroskaFrame,
  type MatroskaTrack,
  type MatroskaWriterOptions,
  MatroskaWriter,
} from './matroska-writer.js';
export {
  OGG_BOS,
  OGG_CONTINUED,
  OGG_EOS,
  type OggPage,
  type OggPageInput,
  encodeOggPage,
  lacing,
  oggCrc32,
  oggPackets,
  readOggPages,
} from './ogg.js';
export { OggOpusWriter, type OggOpusWriterOptions } from './ogg-opus-writer.js';
export { type OpusHeadOptions, opusHead } from './opus-head.js';
