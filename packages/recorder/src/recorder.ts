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
import { TrackTimeline, alignOnSenderClock, anchorOnArrival, anchorOnSenderClock } from './timeline.js';
import type { RecorderFrame, RecorderOutput, RecorderTrack, TrackCounters } from './types.js';

/**
 * The recording core (sans-IO): depacketized frames in, container bytes out.
 *
 * - Video starts at a keyframe; until then, and after any loss until the next keyframe, video frames
 *   are dropped (counted) and keyframe requests are emitted, at most one per `keyframeRequestIntervalMs`.
 * - RTP timestamps become recording time per track (`TrackTimeline`). Writing starts once every video
 *   track has shown a keyframe (the header needs its size, H.264 SPS/PPS) and every track has an RTCP sender
 *   report — then all tracks sit on the sender's NTP clock (A/V sync, RFC 3550 §6.4.1) — or, after
 *   `syncWaitMs` without reports, on arrival times (later reports then move tracks forward only).
 *   Frames meanwhile are buffered (up to `maxBufferedMs`) and written in time order.
 * - Gaps stay gaps: nothing is invented; timestamps carry the truth.
 */
export interface RecorderOptions {
  tracks: readonly RecorderTrack[];
  /** Used for the Ogg stream serial number. */
  random: RandomSource;
  keyframeRequestIntervalMs?: number;
  maxBufferedMs?: number;
  /** How long to wait for sender reports before aligning tracks by arrival time (default 2500 ms). */
  syncWaitMs?: number;
  /** Container cluster/page length: what a crash can lose at most (default 500 ms). */
  clusterDurationMs?: number;
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

/** A frame held before the file starts, with its unwrapped RTP time (its media time is set at start). */
interface BufferedFrame {
  trackIndex: number;
  rtpMs: number;
  arrivalMs: number;
  data: Uint8Array;
  keyframe: boolean;
}

export class Recorder {
  readonly container: ContainerKind;
  private readonly tracks = new Map<string, TrackState>();
  private readonly ordered: TrackState[] = [];
  private readonly keyframeIntervalMs: number;
  private readonly maxBufferedMs: number;
  private readonly syncWaitMs: number;
  private readonly clusterDurationMs: number;
  private readonly log: Logger;
  private readonly serial: number;
  private sink: ContainerSink | undefined;
  private startMs: Millis | undefined;
  private buffered: BufferedFrame[] = [];
  private readonly outputs: RecorderOutput[] = [];
  private syncMethod: 'sender-report' | 'arrival' | undefined;
  private senderOriginShifted = false;
  private finished = false;
  private firstTimeMs: number | undefined;
  private lastTimeMs: number | undefined;

  constructor(options: RecorderOptions) {
    if (options.tracks.length === 0) throw new InvalidArgumentError('a recording needs at least one track');
    this.container = chooseContainer(options.tracks);
    this.keyframeIntervalMs = options.keyframeRequestIntervalMs ?? 1000;
    this.maxBufferedMs = options.maxBufferedMs ?? 10_000;
    this.syncWaitMs = options.syncWaitMs ?? 2500;
    this.clusterDurationMs = options.clusterDurationMs ?? 500;
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
        if (t.spec.codec === 'AV1') t.facts.keyframe = frame.data;
      }
    }
    const arrivalMs = now - this.startMs;
    const rtpMs = t.timeline.rtpMs(frame.timestamp, arrivalMs);
    const keyframe = frame.keyframe || !t.video;
    if (this.sink) {
      this.anchorLateTrack(t, rtpMs, arrivalMs);
      this.write({ trackIndex: t.index, timeMs: t.timeline.mediaTimeMs(rtpMs), data: frame.data, keyframe }, t);
      this.alignAfterStart();
      return;
    }
    this.buffered.push({ trackIndex: t.index, rtpMs, arrivalMs, data: frame.data, keyframe });
    this.trimBuffer(arrivalMs);
    this.tryStart(now);
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
  handleSenderReport(now: Millis, trackId: string, ntpUnixMs: number, rtpTimestamp: number): void {
    this.track(trackId).timeline.handleSenderReport(ntpUnixMs, rtpTimestamp);
    if (this.sink) this.alignAfterStart();
    else this.tryStart(now);
  }

  handleTimeout(now: Millis): void {
    if (this.finished) return;
    for (const t of this.ordered) if (t.waitingForKeyframe) this.requestKeyframe(now, t);
    if (!this.sink) this.tryStart(now);
  }

  pollTimeout(): Millis | undefined {
    if (this.finished) return undefined;
    let next: Millis | undefined;
    const consider = (d: Millis): void => {
      if (next === undefined || d < next) next = d;
    };
    for (const t of this.ordered) {
      if (t.waitingForKeyframe && t.lastKeyframeRequestMs !== undefined)
        consider(t.lastKeyframeRequestMs + this.keyframeIntervalMs);
    }
    if (!this.sink && this.startMs !== undefined && this.buffered.length > 0) consider(this.startMs + this.syncWaitMs);
    return next;
  }

  pollOutput(): RecorderOutput | undefined {
    return this.outputs.shift();
  }

  /** End the recording: remaining frames, then the container's closing bytes and header patches. */
  finish(): void {
    if (this.finished) return;
    if (!this.sink && this.buffered.length > 0) this.start('finish');
    this.finished = true;
    if (!this.sink) return;
    const end = this.sink.finish();
    this.append(end.append);
    for (const patch of end.patches) this.outputs.push({ type: 'patch', patch });
  }

  get started(): boolean {
    return this.sink !== undefined;
  }

  /** Media time covered by the frames written so far (first frame to last frame start), in ms. */
  get durationMs(): number {
    return this.firstTimeMs === undefined || this.lastTimeMs === undefined ? 0 : this.lastTimeMs - this.firstTimeMs;
  }

  counters(): Record<string, TrackCounters> {
    const out: Record<string, TrackCounters> = {};
    for (const t of this.ordered) out[t.spec.id] = structuredClone(t.counters);
    return out;
  }

  /** Start writing once video can start and the tracks can be placed in time (see the class comment). */
  private tryStart(now: Millis): void {
    if (this.sink || this.buffered.length === 0) return;
    if (!this.ordered.every((t) => t.facts !== undefined)) return;
    const allReports = this.ordered.every(
      (t) => t.timeline.ntpAtRtpZeroMs !== undefined && t.timeline.first !== undefined,
    );
    if (allReports) this.start('sender-report');
    else if (now - (this.startMs as Millis) >= this.syncWaitMs) this.start('arrival');
  }

  private start(reason: 'sender-report' | 'arrival' | 'finish'): void {
    const timelines = this.ordered.map((t) => t.timeline);
    this.syncMethod = reason !== 'arrival' && anchorOnSenderClock(timelines) ? 'sender-report' : 'arrival';
    if (this.syncMethod === 'arrival') anchorOnArrival(timelines);
    const facts = this.ordered.map((t) => t.facts);
    this.sink = createSink(
      this.container,
      this.ordered.map((t) => t.spec),
      facts,
      this.serial,
      this.clusterDurationMs,
    );
    this.append(this.sink.start());
    const pending = this.buffered
      .map((b) => ({
        trackIndex: b.trackIndex,
        timeMs: (this.ordered[b.trackIndex] as TrackState).timeline.mediaTimeMs(b.rtpMs),
        data: b.data,
        keyframe: b.keyframe,
      }))
      .sort((a, b) => a.timeMs - b.timeMs);
    this.buffered = [];
    for (const f of pending) this.write(f, this.ordered[f.trackIndex] as TrackState);
    this.outputs.push({ type: 'synchronized', method: this.syncMethod, shiftsMs: {} });
    this.log.debug('recording started', {
      container: this.container,
      sync: this.syncMethod,
      bufferedFrames: pending.length,
    });
  }

  /** A track whose first frame came after the file started is placed like the others were. */
  private anchorLateTrack(t: TrackState, rtpMs: number, arrivalMs: number): void {
    if (t.timeline.anchored) return;
    const ref = this.ordered.find((o) => o.timeline.anchored && o.timeline.ntpAtRtpZeroMs !== undefined);
    if (this.syncMethod === 'sender-report' && ref && t.timeline.ntpAtRtpZeroMs !== undefined) {
      // Same origin as the others: origin = ntpZero_ref - offset_ref.
      const origin = (ref.timeline.ntpAtRtpZeroMs as number) - (ref.timeline.currentOffsetMs as number);
      t.timeline.anchor(t.timeline.ntpAtRtpZeroMs - origin);
    } else {
      t.timeline.anchor(arrivalMs - rtpMs);
    }
  }

  /** Started on arrival times: move onto the sender clock (forward only) once every track has an SR. */
  private alignAfterStart(): void {
    if (this.syncMethod !== 'arrival' || this.senderOriginShifted) return;
    const shifts = alignOnSenderClock(this.ordered.map((t) => t.timeline));
    if (shifts === undefined) return;
    this.senderOriginShifted = true;
    if (shifts.length === 0) {
      this.log.warn('sender reports disagree by more than a second; keeping arrival-time alignment');
      return;
    }
    const shiftsMs: Record<string, number> = {};
    this.ordered.forEach((t, i) => {
      shiftsMs[t.spec.id] = shifts[i] as number;
    });
    this.outputs.push({ type: 'synchronized', method: 'sender-report', shiftsMs });
  }

  private trimBuffer(newestArrivalMs: number): void {
    while (
      this.buffered.length > 0 &&
      newestArrivalMs - (this.buffered[0] as BufferedFrame).arrivalMs > this.maxBufferedMs
    ) {
      const old = this.buffered.shift() as BufferedFrame;
      (this.ordered[old.trackIndex] as TrackState).counters.dropped.bufferOverflow++;
    }
  }

  private write(frame: SinkFrame, t: TrackState): void {
    this.firstTimeMs = Math.min(this.firstTimeMs ?? frame.timeMs, frame.timeMs);
    this.lastTimeMs = Math.max(this.lastTimeMs ?? frame.timeMs, frame.timeMs);
    this.append((this.sink as ContainerSink).add(frame));
    t.counters.framesWritten++;
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
