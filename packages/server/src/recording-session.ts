import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { secureRandom } from '@rtcwire/common';
import type { EncodedFrame, MediaStreamTrack, RTCPeerConnection } from '@rtcwire/node';
import { Recorder, type RecorderCodec, type RecorderTrack, type TrackCounters } from '@rtcwire/recorder';

/** What a finished (or running) recording reports. */
export interface RecordingSummary {
  file: string;
  container: string;
  durationMs: number;
  tracks: Record<string, TrackCounters & { kind: string; codec: string }>;
  /** How tracks were placed in time, in order: the start, then any later move onto the sender clock. */
  sync: { method: 'sender-report' | 'arrival'; shiftsMs: Record<string, number> }[];
  /** What the network did to each track (getStats inbound-rtp, sampled every 250 ms while recording). */
  network: Record<string, NetworkCounters>;
}

/** webrtc-stats inbound-rtp counters of one received track. */
export interface NetworkCounters {
  packetsReceived: number;
  packetsLost: number;
  nackCount: number;
  pliCount: number;
  retransmittedPacketsReceived: number;
}

export interface RecordingSessionOptions {
  /** Passed to the Recorder: how long to wait for RTCP sender reports before using arrival times. */
  syncWaitMs?: number;
}

const CODECS: Record<string, RecorderCodec> = { VP8: 'VP8', VP9: 'VP9', H264: 'H264', AV1: 'AV1', OPUS: 'OPUS' };

/**
 * Records the received tracks of a negotiated connection into one file: frames from each track go
 * through the sans-IO Recorder; its bytes are written as they come (whole clusters/pages, so a killed
 * process leaves a playable file); keyframe requests go back to the publisher as PLI.
 */
export class RecordingSession {
  readonly file: string;
  private readonly recorder: Recorder;
  private readonly fd: number;
  private readonly tracks = new Map<string, { track: MediaStreamTrack; kind: string; codec: string }>();
  private finished = false;
  private readonly sync: RecordingSummary['sync'] = [];
  private network: RecordingSummary['network'] = {};
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly pc: RTCPeerConnection,
    directory: string,
    name: string,
    options: RecordingSessionOptions = {},
  ) {
    const specs: RecorderTrack[] = [];
    for (const t of pc.getTransceivers()) {
      const codec = t.receiver.getParameters().codecs[0];
      const recCodec = codec ? CODECS[codec.mimeType.split('/')[1]?.toUpperCase() ?? ''] : undefined;
      if (!t.mid || !codec || !recCodec || (t.currentDirection !== 'recvonly' && t.currentDirection !== 'sendrecv'))
        continue;
      specs.push({
        id: t.mid,
        codec: recCodec,
        clockRate: codec.clockRate,
        ...(codec.channels !== undefined ? { channels: codec.channels } : {}),
      });
      this.tracks.set(t.mid, { track: t.receiver.track, kind: t.kind, codec: recCodec });
    }
    if (specs.length === 0) throw new Error('nothing to record: the offer has no audio or video we can receive');
    this.recorder = new Recorder({
      tracks: specs,
      random: secureRandom,
      ...(options.syncWaitMs !== undefined ? { syncWaitMs: options.syncWaitMs } : {}),
    });
    this.file = join(directory, `${name}.${this.recorder.container}`);
    this.fd = openSync(this.file, 'w');
    for (const [mid, { track }] of this.tracks) this.wire(mid, track);
    // Keyframe requests repeat while video waits for one (Recorder.pollTimeout); a coarse tick is enough.
    this.timer = setInterval(() => {
      this.recorder.handleTimeout(performance.now());
      this.drain();
      void this.sampleNetwork();
    }, 250);
    this.timer.unref();
  }

  summary(): RecordingSummary {
    const counters = this.recorder.counters();
    const tracks: RecordingSummary['tracks'] = {};
    for (const [mid, t] of this.tracks)
      tracks[mid] = { ...(counters[mid] as TrackCounters), kind: t.kind, codec: t.codec };
    return {
      file: this.file,
      container: this.recorder.container,
      durationMs: this.recorder.durationMs,
      tracks,
      sync: structuredClone(this.sync),
      network: structuredClone(this.network),
    };
  }

  /** Refresh `network` from getStats (every 250 ms while recording, and once more before the end). */
  async sampleNetwork(): Promise<void> {
    let report: Map<string, Record<string, unknown>>;
    try {
      report = await this.pc.getStats();
    } catch {
      return; // closed meanwhile: keep the last sample
    }
    const network: RecordingSummary['network'] = {};
    for (const s of report.values()) {
      if (s.type !== 'inbound-rtp' || typeof s.mid !== 'string' || !this.tracks.has(s.mid)) continue;
      const n = (k: string): number => (typeof s[k] === 'number' ? (s[k] as number) : 0);
      network[s.mid] = {
        packetsReceived: n('packetsReceived'),
        packetsLost: n('packetsLost'),
        nackCount: n('nackCount'),
        pliCount: n('pliCount'),
        retransmittedPacketsReceived: n('retransmittedPacketsReceived'),
      };
    }
    if (!this.finished) this.network = network;
  }

  /** Write the closing bytes (Cues, Duration, sizes) and close the file. */
  finish(): RecordingSummary {
    if (!this.finished) {
      this.finished = true;
      clearInterval(this.timer);
      this.recorder.finish();
      this.drain();
      closeSync(this.fd);
    }
    return this.summary();
  }

  private wire(mid: string, track: MediaStreamTrack): void {
    track.addEventListener('frame', (e) => {
      if (this.finished) return;
      const f = (e as CustomEvent<EncodedFrame>).detail;
      this.recorder.handleFrame(performance.now(), mid, {
        timestamp: f.timestamp,
        data: f.data,
        keyframe: f.keyframe,
        ...(f.width !== undefined ? { width: f.width } : {}),
        ...(f.height !== undefined ? { height: f.height } : {}),
      });
      this.drain();
    });
    track.addEventListener('incomplete-frame', () => {
      if (this.finished) return;
      this.recorder.handleFrameLoss(performance.now(), mid);
      this.drain();
    });
    track.addEventListener('sender-report', (e) => {
      if (this.finished) return;
      const sr = (e as CustomEvent<{ ntpUnixMs: number; rtpTimestamp: number }>).detail;
      this.recorder.handleSenderReport(performance.now(), mid, sr.ntpUnixMs, sr.rtpTimestamp);
      this.drain();
    });
  }

  private drain(): void {
    for (let o = this.recorder.pollOutput(); o; o = this.recorder.pollOutput()) {
      if (o.type === 'append') writeSync(this.fd, o.bytes);
      else if (o.type === 'patch') writeSync(this.fd, o.patch.bytes, 0, o.patch.bytes.byteLength, o.patch.offset);
      else if (o.type === 'keyframe-request') this.tracks.get(o.trackId)?.track.requestKeyframe();
      else if (o.type === 'synchronized') this.sync.push({ method: o.method, shiftsMs: o.shiftsMs });
    }
  }
}
