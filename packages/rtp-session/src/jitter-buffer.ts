/**
 * Receive jitter buffer: puts packets back in sequence order, waiting at most `latencyMs` for a
 * missing one (measured from the arrival of the first packet after the gap), then declares it
 * lost and moves on. Packets older than the play-out point are late and dropped. With
 * `frames: true` it also assembles frames (same RTP timestamp, marker on the last packet, RFC 3550
 * §5.1 / RFC 7741 §4.1 for VP8) and tells whether each is complete. Sans-IO.
 */
import { Unwrapper } from '@rtcwire/common';
import type { RtpPacket } from '@rtcwire/rtp';

export interface JitterBufferOptions {
  /** Longest wait for a missing packet (default 100 ms). Cover at least one RTT to let NACK repair. */
  readonly latencyMs?: number;
  /**
   * How long the first packets are held so that reordered earlier ones can take their place
   * (default `latencyMs`; 0 starts at the first packet — earlier ones then count as late).
   */
  readonly startupHoldMs?: number;
  /** Emit frames instead of packets (default false). */
  readonly frames?: boolean;
  /** Most packets held (default 2000); beyond, the oldest gap is declared lost at once. */
  readonly maxPackets?: number;
  /**
   * Frame-boundary hint from the payload format (e.g. VP8 S=1 and PID 0, RFC 7741 §4.2): true when
   * `packet` starts a frame. Without it, a frame start is inferred from the previous marker, which
   * cannot tell a lost first packet of the very first frame, nor to which frame a lost packet
   * between a marker-less frame and the next belongs.
   */
  readonly isFrameStart?: (packet: RtpPacket) => boolean;
}

export interface JitterFrame {
  readonly timestamp: number;
  readonly packets: readonly RtpPacket[];
  /** Every packet from the previous frame's marker to this frame's marker arrived. */
  readonly complete: boolean;
}

export type JitterOutput =
  | { readonly type: 'packet'; readonly packet: RtpPacket }
  | { readonly type: 'frame'; readonly frame: JitterFrame }
  | { readonly type: 'lost'; readonly sequenceNumbers: readonly number[] };

interface Held {
  readonly packet: RtpPacket;
  readonly arrival: number;
}

export class JitterBuffer {
  packetsLate = 0;
  packetsLost = 0;
  packetsDuplicate = 0;
  framesComplete = 0;
  framesIncomplete = 0;
  private readonly seqs = new Unwrapper(16);
  private readonly held = new Map<number, Held>();
  private next: number | undefined;
  /** Until the first packet is emitted, earlier packets may still arrive (startup reordering). */
  private started = false;
  private firstArrival = 0;
  private gapSince: number | undefined;
  private readonly out: JitterOutput[] = [];
  private latency: number;
  private readonly startupHold: number | undefined;
  private readonly maxPackets: number;
  private frame: RtpPacket[] = [];
  private frameBroken = false;
  private frameStartOk = true;
  /** Packets declared lost immediately before the next packet to emit. */
  private lostRun = 0;

  constructor(private readonly options: JitterBufferOptions = {}) {
    this.latency = options.latencyMs ?? 100;
    this.startupHold = options.startupHoldMs;
    this.maxPackets = options.maxPackets ?? 2000;
  }

  handlePacket(now: number, packet: RtpPacket): void {
    const seq = this.seqs.unwrap(packet.sequenceNumber);
    if (this.next === undefined) {
      this.next = seq;
      this.firstArrival = now;
    }
    if (seq < this.next) {
      if (this.started) {
        this.packetsLate++;
        return;
      }
      this.next = seq;
    }
    if (this.held.has(seq)) {
      this.packetsDuplicate++;
      return;
    }
    this.held.set(seq, { packet, arrival: now });
    this.drain(now);
  }

  handleTimeout(now: number): void {
    this.drain(now);
  }

  /** Change the longest wait for a missing packet, e.g. as the round-trip time (and so NACK repair time) is learnt. */
  setLatency(latencyMs: number): void {
    if (Number.isFinite(latencyMs) && latencyMs >= 0) this.latency = latencyMs;
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** When a missing packet will be declared lost, if one is being waited for. */
  pollTimeout(): number | undefined {
    if (!this.started && this.next !== undefined) return this.firstArrival + (this.startupHold ?? this.latency);
    return this.gapSince === undefined ? undefined : this.gapSince + this.latency;
  }

  poll(): JitterOutput | undefined {
    return this.out.shift();
  }

  get buffered(): number {
    return this.held.size;
  }

  private drain(now: number): void {
    if (!this.started && !this.mayStart(now)) return;
    this.started = true;
    for (;;) {
      if (this.next === undefined || this.held.size === 0) {
        this.gapSince = undefined;
        return;
      }
      const head = this.held.get(this.next);
      if (head) {
        this.held.delete(this.next);
        this.next++;
        this.emit(head.packet);
        this.lostRun = 0;
        continue;
      }
      // The head is missing: wait from the earliest arrival of anything after the gap.
      let earliest = Number.POSITIVE_INFINITY;
      let lowest = Number.POSITIVE_INFINITY;
      for (const [s, h] of this.held) {
        if (h.arrival < earliest) earliest = h.arrival;
        if (s < lowest) lowest = s;
      }
      this.gapSince = earliest;
      if (now < earliest + this.latency && this.held.size <= this.maxPackets) return;
      const lost: number[] = [];
      for (let s = this.next; s < lowest; s++) lost.push(s & 0xffff);
      this.packetsLost += lost.length;
      this.out.push({ type: 'lost', sequenceNumbers: lost });
      this.frameBroken = true;
      this.lostRun += lost.length;
      this.next = lowest;
    }
  }

  /**
   * Start emitting once the head is known to start a frame (with the hint), or after holding the
   * first packets for the latency so that reordered earlier ones can still take their place.
   */
  private mayStart(now: number): boolean {
    const head = this.next === undefined ? undefined : this.held.get(this.next);
    const hint = this.options.frames ? this.options.isFrameStart : undefined;
    if (head && hint?.(head.packet)) return true;
    const hold = this.startupHold ?? this.latency;
    return now >= this.firstArrival + hold || this.held.size > this.maxPackets;
  }

  private emit(packet: RtpPacket): void {
    if (!this.options.frames) {
      this.out.push({ type: 'packet', packet });
      return;
    }
    const current = this.frame[0];
    if (current && current.timestamp !== packet.timestamp) {
      // A new timestamp without the previous frame's marker: that frame lost its tail, and a loss
      // seen since may as well have been the head of the new one.
      // One lost packet right before this one must have been that missing marker packet.
      const broken = this.frameBroken && this.lostRun !== 1;
      this.flushFrame(false);
      this.frameBroken = broken;
    }
    if (this.frame.length === 0) {
      const hint = this.options.isFrameStart;
      this.frameStartOk = hint ? hint(packet) : !this.frameBroken;
      this.frameBroken = false;
    }
    this.frame.push(packet);
    if (packet.marker) this.flushFrame(this.frameStartOk && !this.frameBroken);
  }

  private flushFrame(complete: boolean): void {
    const first = this.frame[0];
    if (!first) return;
    if (complete) this.framesComplete++;
    else this.framesIncomplete++;
    this.out.push({ type: 'frame', frame: { timestamp: first.timestamp, packets: this.frame, complete } });
    this.frame = [];
    this.frameBroken = false;
  }
}
