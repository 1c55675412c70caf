import {
  buildAv1CodecConfigurationRecord,
  buildAvcDecoderConfigurationRecord,
  type H264ParameterSets,
  joinLengthPrefixed,
  NalType,
  nalType,
  splitAnnexB,
  splitObus,
} from '@rtcwire/codecs';
import { isParseError } from '@rtcwire/common';
import { type FilePatch, MatroskaWriter, type MatroskaTrack, OggOpusWriter, opusHead } from '@rtcwire/containers';
import type { RecorderTrack } from './types.js';

/**
 * One container behind a uniform face: WebM (VP8/VP9/AV1 + Opus), Matroska (H.264 + Opus) or Ogg
 * (Opus alone). Takes frames in recording time and hands back bytes to append / patches.
 */
export type ContainerKind = 'webm' | 'mkv' | 'ogg';

export function chooseContainer(tracks: readonly RecorderTrack[]): ContainerKind {
  if (tracks.every((t) => t.codec === 'OPUS')) return 'ogg';
  return tracks.some((t) => t.codec === 'H264') ? 'mkv' : 'webm';
}

export interface SinkFrame {
  trackIndex: number;
  timeMs: number;
  data: Uint8Array;
  keyframe: boolean;
}

export interface ContainerSink {
  readonly kind: ContainerKind;
  start(): Uint8Array;
  add(frame: SinkFrame): Uint8Array;
  finish(): { append: Uint8Array; patches: FilePatch[] };
}

/** Video facts learnt from the first keyframe, needed before the header can be written. */
export interface VideoFacts {
  width?: number;
  height?: number;
  h264?: H264ParameterSets;
  /** The first keyframe (AV1: its sequence header OBU becomes the av1C CodecPrivate). */
  keyframe?: Uint8Array;
}

/** AV1 in Matroska/WebM carries an av1C record built from the sequence header OBU (AV1-ISOBMFF §2.3). */
function av1CodecPrivate(keyframe: Uint8Array | undefined): Uint8Array | undefined {
  if (!keyframe) return undefined;
  try {
    const seq = splitObus(keyframe).find((o) => o.type === 1); // OBU_SEQUENCE_HEADER
    return seq ? buildAv1CodecConfigurationRecord(seq) : undefined;
  } catch (err) {
    if (isParseError(err)) return undefined;
    throw err;
  }
}

export function createSink(
  kind: ContainerKind,
  tracks: readonly RecorderTrack[],
  facts: readonly (VideoFacts | undefined)[],
  serial: number,
  clusterDurationMs: number,
): ContainerSink {
  if (kind === 'ogg') {
    const channels = tracks[0]?.channels ?? 2;
    const writer = new OggOpusWriter({
      serial,
      channels: Math.min(2, channels),
      preSkip: 0,
      pageDurationMs: clusterDurationMs,
    });
    return {
      kind,
      start: () => writer.start(),
      add: (f) => writer.addPacket(f.data, Math.round(f.timeMs * 48)),
      finish: () => ({ append: writer.finish(), patches: [] }),
    };
  }
  const mkvTracks: MatroskaTrack[] = tracks.map((t, i) => {
    const fact = facts[i];
    if (t.codec === 'OPUS') {
      const channels = Math.min(2, t.channels ?? 2);
      return {
        number: i + 1,
        codec: 'OPUS',
        channels,
        opusPreSkip: 0,
        codecPrivate: opusHead({ channels, preSkip: 0 }),
      };
    }
    const track: MatroskaTrack = { number: i + 1, codec: t.codec };
    if (fact?.width !== undefined && fact.height !== undefined) {
      track.width = fact.width;
      track.height = fact.height;
    }
    if (t.codec === 'AV1') {
      const av1C = av1CodecPrivate(fact?.keyframe);
      if (av1C) track.codecPrivate = av1C;
    }
    if (t.codec === 'H264' && fact?.h264?.complete) {
      track.codecPrivate = buildAvcDecoderConfigurationRecord(fact.h264.sps, fact.h264.pps);
      const sps = fact.h264.latestSps;
      if (sps) {
        track.width = sps.width;
        track.height = sps.height;
      }
    }
    return track;
  });
  const writer = new MatroskaWriter({
    tracks: mkvTracks,
    docType: kind === 'mkv' ? 'matroska' : 'webm',
    clusterDurationMs,
  });
  return {
    kind,
    start: () => writer.start(),
    add: (f) => {
      const codec = tracks[f.trackIndex]?.codec;
      // Matroska stores H.264 as length-prefixed NAL units (ISO/IEC 14496-15), parameter sets in avcC.
      const data = codec === 'H264' ? annexBToAvcSample(f.data) : f.data;
      return writer.addFrame({
        track: f.trackIndex + 1,
        timestampMs: Math.max(0, f.timeMs),
        data,
        keyframe: f.keyframe,
      });
    },
    finish: () => writer.finish(),
  };
}

function annexBToAvcSample(frame: Uint8Array): Uint8Array {
  const nals = splitAnnexB(frame).filter((n) => nalType(n) !== NalType.aud);
  return joinLengthPrefixed(nals);
}
