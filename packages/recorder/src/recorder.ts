import { InvalidArgumentError, type Logger, type Millis, type RandomSource, silentLogger } from '@rtcwire/common';
import { H264ParameterSets, splitAnnexB } from '@rtcwire/codecs';
import {
  type ContainerKind,
  type ContainerSink,
  type SinkFrame,
  type VideoFacts,
  chooseContainer,
  createSink,
} from './container-sink.js';
import { TrackTimeline, alignOnSenderClock } from './timeline.js';
import type { RecorderFrame, RecorderOutput, RecorderTrack, TrackCounters } from './types.js';

/**
 * The recording core (sans-IO): depacketized frames in, container bytes out.
 *
 * - Video starts at a keyframe; until then, and after any loss until the next keyframe, video frames
 *   are dropped (counted) and keyframe requests are emitted, at most one per `keyframeRequestIntervalMs`.
 * - RTP timestamps become recording time per track (`TrackTimeline`): first by arrival, then on the
 *   sender's NTP clock once every track has an RTCP sender report (A/V sync, RFC 3550 §6.4.1).
 * - The file header waits until every video track has shown a keyframe (its size, H.264 SPS/PPS); frames
 *   meanwhile are buffered (up to `maxBufferedMs`), then written in time order.
 * - Gaps stay gaps: nothing is invented; timestamps carry the truth.
 */
export interface RecorderOptions {
  tracks: readonly RecorderTrack[];
  /** Used for the Ogg stream serial number. */
  random: RandomSource;
  keyframeRequestIntervalMs?: number;
  maxBufferedMs?: number;
  logger?: Logger;
}

interface TrackState {
  readonly spec: RecorderTrack;
  readonly index: number;
  readonly video: boolean;
  readonly timeline: TrackTimeline;
  readonly counters: TrackCounters;
  facts: VideoFacts | undefined;
  waitingForKeyframe: boolean;
  lastKeyframeRequestMs: number | undefined;
  readonly h264: H264ParameterSets | undefined;
}

export class Recorder {
  readonly container: ContainerKind;
  private readonly tracks = new Map<string, TrackState>();
  private readonly ordered: TrackState[] = [];
  private readonly keyframeIntervalMs: number;
  private readonly maxBufferedMs: number;
  private readonly log: Logger;
  private readonly serial: number;
  private sink: ContainerSink | undefined;
  private startMs: Millis | undefined;
  private buffered: SinkFrame[] = [];
  private readonly outputs: RecorderOutput[] = [];
  private synchronized = false;
  private finished = false;
  private firstTimeMs: number | undefined;
  private lastTimeMs: number | undefined;

  constructor(options: RecorderOptions) {
    if (options.tracks.length === 0) throw new InvalidArgumentError('a recording needs at least one track');
    this.container = chooseContainer(options.tracks);
    this.keyframeIntervalMs = options.keyframeRequestIntervalMs ?? 1000;
    this.maxBufferedMs = options.maxBufferedMs ?? 10_000;
    this.log = options.logger ?? silentLogger;
    this.serial = options.random.uint32();
    options.tracks.forEach((spec, index) => {
      if (this.tracks.has(spec.id)) throw new InvalidArgumentError(`duplicate track id ${spec.id}`);
      const video = spec.codec !== 'OPUS';
      const state: TrackState = {
        spec,
        index,
        video,
        timeline: new TrackTimeline(spec.clockRate),
        counters: {
          framesReceived: 0,
          framesWritten: 0,
          framesLost: 0,
          dropped: { waitingForKeyframe: 0, bufferOverflow: 0 },
          keyframeRequests: 0,
        },
        facts: video ? undefined : {},
        waitingForKeyframe: video,
        lastKeyframeRequestMs: undefined,
        h264: spec.codec === 'H264' ? new H264ParameterSets() : undefined,
      };
      this.tracks.set(spec.id, state);
      this.ordered.push(state);
    });
  }

  /** A complete frame of `trackId`, received at `now`. */
  handleFrame(now: Millis, trackId: string, frame: RecorderFrame): void {
    const t = this.track(trackId);
    if (this.finished) return;
    this.startMs ??= now;
    t.counters.framesReceived++;
    if (t.h264) t.h264.observe(splitAnnexB(frame.data));
    if (t.waitingForKeyframe) {
      if (!frame.keyframe) {
        t.counters.dropped.waitingForKeyframe++;
        this.requestKeyframe(now, t);
        return;
      }
      t.waitingForKeyframe = false;
      if (!t.facts) {
        t.facts = {};
        if (frame.width !== undefined) t.facts.width = frame.width;
        if (frame.height !== undefined) t.facts.height = frame.height;
        if (t.h264) t.facts.h264 = t.h264;
      }
    }
    const timeMs = t.timeline.mediaTimeMs(frame.timestamp, now - this.startMs);
    this.write({ trackIndex: t.index, timeMs, data: frame.data, keyframe: frame.keyframe || !t.video }, t);
    this.trySynchronize();
  }

  /** The depacketizer reported a frame of `trackId` incomplete or lost. Video waits for a new keyframe. */
  handleFrameLoss(now: Millis, trackId: string): void {
    const t = this.track(trackId);
    t.counters.framesLost++;
    if (t.video && !this.finished) {
      t.waitingForKeyframe = true;
      this.requestKeyframe(now, t);
    }
  }

  /** An RTCP sender report for `trackId`: NTP time (Unix ms) ↔ RTP timestamp. */
  handleSenderReport(_now: Millis, trackId: string, ntpUnixMs: number, rtpTimestamp: number): void {
    this.track(trackId).timeline.handleSenderReport(ntpUnixMs, rtpTimestamp);
    this.trySynchronize();
  }

  handleTimeout(now: Millis): void {
    for (const t of this.ordered) if (t.waitingForKeyframe) this.requestKeyframe(now, t);
  }

  pollTimeout(): Millis | undefined {
    let next: Millis | undefined;
    for (const t of this.ordered) {
      if (!t.waitingForKeyframe || t.lastKeyframeRequestMs === undefined || this.finished) continue;
      const due = t.lastKeyframeRequestMs + this.keyframeIntervalMs;
      if (next === undefined || due < next) next = due;
    }
    return next;
  }

  pollOutput(): RecorderOutput | undefined {
    return this.outputs.shift();
  }

  /** End the recording: remaining frames, then the container's closing bytes and header patches. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.sink) {
      if (this.buffered.length === 0) return;
      this.startSink();
    }
    const end = (this.sink as ContainerSink).finish();
    this.append(end.append);
    for (const patch of end.patches) this.outputs.push({ type: 'patch', patch });
  }

  get started(): boolean {
    return this.sink !== undefined;
  }

  counters(): Record<string, TrackCounters> {
    const out: Record<string, TrackCounters> = {};
    for (const t of this.ordered) out[t.spec.id] = structuredClone(t.counters);
    return out;
  }

  /** Media time covered by the frames written so far (first frame to last frame start), in ms. */
  get durationMs(): number {
    return this.firstTimeMs === undefined || this.lastTimeMs === undefined ? 0 : this.lastTimeMs - this.firstTimeMs;
  }

  private write(frame: SinkFrame, t: TrackState): void {
    this.firstTimeMs = Math.min(this.firstTimeMs ?? frame.timeMs, frame.timeMs);
    this.lastTimeMs = Math.max(this.lastTimeMs ?? frame.timeMs, frame.timeMs);
    if (this.sink) {
      this.append(this.sink.add(frame));
      t.counters.framesWritten++;
      return;
    }
    this.buffered.push(frame);
    if (this.ordered.every((s) => s.facts !== undefined)) {
      this.startSink();
      return;
    }
    // Still waiting for a video keyframe: keep at most maxBufferedMs of frames.
    const newest = frame.timeMs;
    while (this.buffered.length > 0 && newest - (this.buffered[0] as SinkFrame).timeMs > this.maxBufferedMs) {
      const old = this.buffered.shift() as SinkFrame;
      (this.ordered[old.trackIndex] as TrackState).counters.dropped.bufferOverflow++;
    }
  }

  private startSink(): void {
    const facts = this.ordered.map((t) => t.facts);
    this.sink = createSink(
      this.container,
      this.ordered.map((t) => t.spec),
      facts,
      this.serial,
    );
    this.append(this.sink.start());
    const pending = this.buffered.sort((a, b) => a.timeMs - b.timeMs);
    this.buffered = [];
    for (const f of pending) {
      this.append(this.sink.add(f));
      (this.ordered[f.trackIndex] as TrackState).counters.framesWritten++;
    }
    this.log.debug('recording started', { container: this.container, bufferedFrames: pending.length });
  }

  private trySynchronize(): void {
    if (this.synchronized) return;
    const shifts = alignOnSenderClock(this.ordered.map((t) => t.timeline));
    if (shifts === undefined) return;
    this.synchronized = true;
    if (shifts.length === 0) {
      this.log.warn('sender reports disagree by more than a second; keeping arrival-time alignment');
      return;
    }
    const shiftsMs: Record<string, number> = {};
    this.ordered.forEach((t, i) => {
      shiftsMs[t.spec.id] = shifts[i] as number;
    });
    this.outputs.push({ type: 'synchronized', shiftsMs });
  }

  private requestKeyframe(now: Millis, t: TrackState): void {
    if (t.lastKeyframeRequestMs !== undefined && now - t.lastKeyframeRequestMs < this.keyframeIntervalMs) return;
    t.lastKeyframeRequestMs = now;
    t.counters.keyframeRequests++;
    this.outputs.push({ type: 'keyframe-request', trackId: t.spec.id });
  }

  private append(bytes: Uint8Array): void {
    if (bytes.byteLength > 0) this.outputs.push({ type: 'append', bytes });
  }

  private track(id: string): TrackState {
    const t = this.tracks.get(id);
    if (!t) throw new InvalidArgumentError(`unknown track ${id}`);
    return t;
  }
}
