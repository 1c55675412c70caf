import type { FilePatch } from '@rtcwire/containers';

export type RecorderCodec = 'VP8' | 'VP9' | 'AV1' | 'H264' | 'OPUS';

export interface RecorderTrack {
  /** The caller's name for the track (e.g. the transceiver mid or a track id). */
  id: string;
  codec: RecorderCodec;
  /** RTP clock rate (90000 for video, 48000 for Opus). */
  clockRate: number;
  channels?: number;
}

/** A complete, depacketized frame (e.g. from @rtcwire/codecs' FrameAssembler). H.264 as Annex B. */
export interface RecorderFrame {
  /** RTP timestamp of the frame. */
  timestamp: number;
  data: Uint8Array;
  keyframe: boolean;
  width?: number;
  height?: number;
}

export interface TrackCounters {
  /** Complete frames handed to the recorder. */
  framesReceived: number;
  /** Frames passed to the container (all of them are in the file once it is finished). */
  framesWritten: number;
  /** Frames the depacketizer reported incomplete or lost (`handleFrameLoss`). */
  framesLost: number;
  /** Frames not written, by reason. */
  dropped: {
    /** Video frames before the first keyframe, or after a loss until the next keyframe. */
    waitingForKeyframe: number;
    /** Frames buffered before the file could start, beyond `maxBufferedMs`. */
    bufferOverflow: number;
  };
  keyframeRequests: number;
}

export type RecorderOutput =
  /** Bytes to append to the file. */
  | { type: 'append'; bytes: Uint8Array }
  /** Bytes to write at an earlier offset (only after `finish`). */
  | { type: 'patch'; patch: FilePatch }
  /** Ask the sender for a keyframe on this track (RTCP PLI or FIR). */
  | { type: 'keyframe-request'; trackId: string }
  /**
   * How tracks were placed in time: when writing starts ('sender-report' or 'arrival', no shifts), and
   * again if tracks started by arrival later move onto the sender clock (forward shifts in ms per track).
   */
  | { type: 'synchronized'; method: 'sender-report' | 'arrival'; shiftsMs: Record<string, number> };
