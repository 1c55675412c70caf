import { InvalidArgumentError, concatBytes as concat } from '@rtcwire/common';
import {
  type EbmlElement,
  ID,
  elementHeader,
  encodeElement,
  encodeElements,
  idBytes,
  vint,
  voidElement,
} from './ebml.js';

/**
 * A streaming Matroska/WebM writer (RFC 9559, WebM byte-stream rules): frames in, bytes out.
 *
 * Crash safety: blocks are buffered per cluster and a cluster is only emitted whole, with its size known,
 * so a file cut after any `addFrame` output is readable up to its last cluster. The Segment starts with an
 * unknown size; `finish()` returns Cues to append plus patches (Segment size, Duration, SeekHead) to write
 * at earlier offsets — a file that never gets them still plays, without duration and seeking.
 */
export type MatroskaCodec = 'VP8' | 'VP9' | 'AV1' | 'H264' | 'OPUS';

export interface MatroskaTrack {
  /** Track number, 1-based and unique. */
  number: number;
  codec: MatroskaCodec;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  /** OpusHead for Opus, avcC for H.264, av1C for AV1. */
  codecPrivate?: Uint8Array;
  /** Opus pre-skip in samples at 48 kHz (CodecDelay); default 312 when Opus. */
  opusPreSkip?: number;
}

export interface MatroskaFrame {
  track: number;
  /** Presentation time in milliseconds from the start of the recording. */
  timestampMs: number;
  data: Uint8Array;
  keyframe: boolean;
}

/** Bytes to write at an earlier offset of the file. */
export interface FilePatch {
  offset: number;
  bytes: Uint8Array;
}

export interface MatroskaWriterOptions {
  tracks: readonly MatroskaTrack[];
  /** `webm` (VP8, VP9, AV1, Opus only) or `matroska`; default webm unless a track is H.264. */
  docType?: 'webm' | 'matroska';
  /** Close a cluster once it spans this long; default 1000 ms. */
  clusterDurationMs?: number;
  writingApp?: string;
}

const CODEC_IDS: Record<MatroskaCodec, string> = {
  VP8: 'V_VP8',
  VP9: 'V_VP9',
  AV1: 'V_AV1',
  H264: 'V_MPEG4/ISO/AVC',
  OPUS: 'A_OPUS',
};
const WEBM_CODECS: ReadonlySet<MatroskaCodec> = new Set(['VP8', 'VP9', 'AV1', 'OPUS']);
const SEEKHEAD_RESERVED = 96;
const DURATION_RESERVED = 11; // Duration: 2-byte ID + 1-byte size + 8-byte float

interface PendingBlock {
  track: number;
  timestampMs: number;
  keyframe: boolean;
  data: Uint8Array;
}

interface Cue {
  timeMs: number;
  track: number;
  clusterPosition: number;
}

export class MatroskaWriter {
  readonly docType: 'webm' | 'matroska';
  private readonly tracks: ReadonlyMap<number, MatroskaTrack>;
  private readonly clusterDurationMs: number;
  private readonly writingApp: string;
  private readonly hasVideo: boolean;
  private started = false;
  private finished = false;
  private position = 0;
  private segmentSizeOffset = 0;
  private segmentDataStart = 0;
  private seekHeadOffset = 0;
  private durationOffset = 0;
  private infoPosition = 0;
  private tracksPosition = 0;
  private pending: PendingBlock[] = [];
  private clusterStartMs: number | undefined;
  private readonly cues: Cue[] = [];
  private readonly lastTimestamp = new Map<number, { last: number; delta: number }>();
  private firstTimestampMs: number | undefined;
  /** Frames refused because they were too far before their cluster (int16 relative time). */
  droppedLateFrames = 0;

  constructor(options: MatroskaWriterOptions) {
    if (options.tracks.length === 0) throw new InvalidArgumentError('a Matroska file needs at least one track');
    const map = new Map<number, MatroskaTrack>();
    for (const t of options.tracks) {
      if (!Number.isInteger(t.number) || t.number < 1 || t.number > 126 || map.has(t.number)) {
        throw new InvalidArgumentError(`bad or duplicate track number ${t.number}`);
      }
      map.set(t.number, t);
    }
    this.tracks = map;
    const allWebm = options.tracks.every((t) => WEBM_CODECS.has(t.codec));
    this.docType = options.docType ?? (allWebm ? 'webm' : 'matroska');
    if (this.docType === 'webm' && !allWebm) {
      throw new InvalidArgumentError('WebM holds only VP8, VP9, AV1 and Opus; use docType "matroska" (.mkv) for H.264');
    }
    this.clusterDurationMs = options.clusterDurationMs ?? 1000;
    this.writingApp = options.writingApp ?? 'rtcwire';
    this.hasVideo = options.tracks.some((t) => t.codec !== 'OPUS');
  }

  /** Total bytes produced so far (the file length once everything returned has been written). */
  get bytesWritten(): number {
    return this.position;
  }

  /** The file header: EBML header, Segment start, reserved SeekHead, Info, Tracks. Call once, first. */
  start(): Uint8Array {
    if (this.started) throw new InvalidArgumentError('start() already called');
    this.started = true;
    const ebml = encodeElement({
      id: ID.EBML,
      children: [
        { id: ID.EBMLVersion, uint: 1 },
        { id: ID.EBMLReadVersion, uint: 1 },
        { id: ID.EBMLMaxIDLength, uint: 4 },
        { id: ID.EBMLMaxSizeLength, uint: 8 },
        { id: ID.DocType, string: this.docType },
        { id: ID.DocTypeVersion, uint: 4 },
        { id: ID.DocTypeReadVersion, uint: 2 },
      ],
    });
    const segmentHeader = elementHeader(ID.Segment, 'unknown');
    this.segmentSizeOffset = ebml.byteLength + idBytes(ID.Segment).byteLength;
    this.segmentDataStart = ebml.byteLength + segmentHeader.byteLength;
    this.seekHeadOffset = this.segmentDataStart;
    const seekVoid = voidElement(SEEKHEAD_RESERVED);

    const infoChildren = encodeElements([
      { id: ID.TimestampScale, uint: 1_000_000 },
      { id: ID.MuxingApp, string: 'rtcwire' },
      { id: ID.WritingApp, string: this.writingApp },
    ]);
    const durationVoid = voidElement(DURATION_RESERVED);
    const infoHeader = elementHeader(ID.Info, infoChildren.byteLength + durationVoid.byteLength);
    this.infoPosition = this.seekHeadOffset + SEEKHEAD_RESERVED;
    this.durationOffset = this.infoPosition + infoHeader.byteLength + infoChildren.byteLength;
    const tracks = encodeElement({ id: ID.Tracks, children: [...this.tracks.values()].map(trackEntry) });
    this.tracksPosition = this.durationOffset + DURATION_RESERVED;

    return this.emit(concat(ebml, segmentHeader, seekVoid, infoHeader, infoChildren, durationVoid, tracks));
  }

  /**
   * Add one frame. Returns bytes to append to the file (a completed cluster) or an empty array.
   * Frames of one track must come in timestamp order; tracks may interleave loosely within a cluster.
   */
  addFrame(frame: MatroskaFrame): Uint8Array {
    if (!this.started || this.finished) throw new InvalidArgumentError('addFrame() needs start() and no finish()');
    if (!this.tracks.has(frame.track)) throw new InvalidArgumentError(`unknown track ${frame.track}`);
    let out: Uint8Array = new Uint8Array(0);
    if (this.clusterStartMs !== undefined && frame.timestampMs >= this.clusterStartMs + this.clusterDurationMs) {
      out = this.flushCluster();
    }
    if (this.clusterStartMs === undefined) this.clusterStartMs = frame.timestampMs;
    if (frame.timestampMs - this.clusterStartMs < -32768) {
      this.droppedLateFrames++;
      return out;
    }
    this.firstTimestampMs = Math.min(this.firstTimestampMs ?? frame.timestampMs, frame.timestampMs);
    const prev = this.lastTimestamp.get(frame.track);
    const delta = prev ? frame.timestampMs - prev.last : 0;
    this.lastTimestamp.set(frame.track, { last: frame.timestampMs, delta: delta > 0 ? delta : (prev?.delta ?? 0) });
    this.pending.push({
      track: frame.track,
      timestampMs: frame.timestampMs,
      keyframe: frame.keyframe,
      data: frame.data,
    });
    return out;
  }

  /** Emit the open cluster now (e.g. before a planned stop). */
  flush(): Uint8Array {
    return this.flushCluster();
  }

  /** Close the file: the last cluster and Cues to append, and patches for Segment size, Duration and SeekHead. */
  finish(): { append: Uint8Array; patches: FilePatch[]; durationMs: number } {
    if (!this.started || this.finished) throw new InvalidArgumentError('finish() needs start() and is allowed once');
    const last = this.flushCluster();
    this.finished = true;
    const cuesPosition = this.position;
    const cues =
      this.cues.length > 0
        ? encodeElement({
            id: ID.Cues,
            children: this.cues.map((c) => ({
              id: ID.CuePoint,
              children: [
                { id: ID.CueTime, uint: Math.max(0, Math.round(c.timeMs)) },
                {
                  id: ID.CueTrackPositions,
                  children: [
                    { id: ID.CueTrack, uint: c.track },
                    { id: ID.CueClusterPosition, uint: c.clusterPosition },
                  ],
                },
              ],
            })),
          })
        : new Uint8Array(0);
    this.emit(cues);
    const durationMs = this.durationMs();
    const seeks: EbmlElement[] = [
      seek(ID.Info, this.infoPosition - this.segmentDataStart),
      seek(ID.Tracks, this.tracksPosition - this.segmentDataStart),
    ];
    if (cues.byteLength > 0) seeks.push(seek(ID.Cues, cuesPosition - this.segmentDataStart));
    const patches: FilePatch[] = [
      { offset: this.segmentSizeOffset, bytes: vint(this.position - this.segmentDataStart, 8) },
      { offset: this.durationOffset, bytes: encodeElement({ id: ID.Duration, float: durationMs }) },
      { offset: this.seekHeadOffset, bytes: fitSeekHead(seeks, SEEKHEAD_RESERVED) },
    ];
    return { append: concat(last, cues), patches, durationMs };
  }

  /** Duration from the first frame to the end of the last one (last timestamp plus that track's frame interval). */
  durationMs(): number {
    if (this.firstTimestampMs === undefined) return 0;
    let end = this.firstTimestampMs;
    for (const { last, delta } of this.lastTimestamp.values()) end = Math.max(end, last + delta);
    return end - this.firstTimestampMs;
  }

  private flushCluster(): Uint8Array {
    if (this.pending.length === 0 || this.clusterStartMs === undefined) return new Uint8Array(0);
    const clusterPosition = this.position - this.segmentDataStart;
    const start = this.clusterStartMs;
    const blocks = this.pending.sort((a, b) => a.timestampMs - b.timestampMs);
    let cuedAudio = false;
    const parts: Uint8Array[] = [encodeElement({ id: ID.Timestamp, uint: Math.max(0, Math.round(start)) })];
    for (const b of blocks) {
      parts.push(simpleBlock(b, Math.round(b.timestampMs) - Math.round(start)));
      const isVideo = this.tracks.get(b.track)?.codec !== 'OPUS';
      if ((isVideo && b.keyframe) || (!this.hasVideo && !cuedAudio)) {
        this.cues.push({ timeMs: b.timestampMs, track: b.track, clusterPosition });
        if (!isVideo) cuedAudio = true;
      }
    }
    const body = concat(...parts);
    this.pending = [];
    this.clusterStartMs = undefined;
    return this.emit(concat(elementHeader(ID.Cluster, body.byteLength), body));
  }

  private emit(bytes: Uint8Array): Uint8Array {
    this.position += bytes.byteLength;
    return bytes;
  }
}

function trackEntry(t: MatroskaTrack): EbmlElement {
  const isAudio = t.codec === 'OPUS';
  const children: EbmlElement[] = [
    { id: ID.TrackNumber, uint: t.number },
    { id: ID.TrackUID, uint: 0x5254_0000 + t.number },
    { id: ID.TrackType, uint: isAudio ? 2 : 1 },
    { id: ID.FlagLacing, uint: 0 },
    { id: ID.CodecID, string: CODEC_IDS[t.codec] },
  ];
  if (t.codecPrivate) children.push({ id: ID.CodecPrivate, bytes: t.codecPrivate });
  if (isAudio) {
    // Matroska Opus mapping: CodecDelay = pre-skip in ns, SeekPreRoll = 80 ms.
    const preSkip = t.opusPreSkip ?? 312;
    children.push(
      { id: ID.CodecDelay, uint: Math.round((preSkip * 1e9) / 48000) },
      { id: ID.SeekPreRoll, uint: 80_000_000 },
    );
    children.push({
      id: ID.Audio,
      children: [
        { id: ID.SamplingFrequency, float: t.sampleRate ?? 48000 },
        { id: ID.Channels, uint: t.channels ?? 2 },
      ],
    });
  } else if (t.width !== undefined && t.height !== undefined) {
    children.push({
      id: ID.Video,
      children: [
        { id: ID.PixelWidth, uint: t.width },
        { id: ID.PixelHeight, uint: t.height },
      ],
    });
  }
  return { id: ID.TrackEntry, children };
}

// Matroska §10.2 SimpleBlock: track number (vint), int16 relative timestamp, flags, frame data.
function simpleBlock(b: PendingBlock, relativeMs: number): Uint8Array {
  const track = vint(b.track);
  const head = new Uint8Array(track.byteLength + 3);
  head.set(track, 0);
  new DataView(head.buffer).setInt16(track.byteLength, relativeMs);
  head[track.byteLength + 2] = b.keyframe ? 0x80 : 0x00;
  const size = head.byteLength + b.data.byteLength;
  return concat(idBytes(ID.SimpleBlock), vint(size), head, b.data);
}

function seek(id: number, position: number): EbmlElement {
  return {
    id: ID.Seek,
    children: [
      { id: ID.SeekID, bytes: idBytes(id) },
      { id: ID.SeekPosition, uint: position },
    ],
  };
}

/** A SeekHead padded with Void to exactly `reserved` bytes (widening its size field when 1 byte would remain). */
function fitSeekHead(seeks: readonly EbmlElement[], reserved: number): Uint8Array {
  const body = encodeElements(seeks);
  for (let width = 1; width <= 8; width++) {
    if (body.byteLength >= 2 ** (7 * width) - 1) continue;
    const head = concat(idBytes(ID.SeekHead), vint(body.byteLength, width));
    const left = reserved - head.byteLength - body.byteLength;
    if (left === 0) return concat(head, body);
    if (left >= 2) return concat(head, body, voidElement(left));
  }
  throw new RangeError('SeekHead does not fit its reserved space');
}
