import { DropCounters, isParseError, type Logger, Unwrapper } from '@rtcwire/common';
import type { AssembledMedia, DepacketizedPayload, Depacketizer, RtpPacketLike } from './types.js';

/** A whole frame: every packet from its first to its marker packet arrived. */
export interface AssembledFrame extends AssembledMedia {
  readonly complete: true;
  /** RTP timestamp shared by the frame's packets. */
  readonly timestamp: number;
  readonly firstSequenceNumber: number;
  readonly lastSequenceNumber: number;
  readonly packetCount: number;
}

export type IncompleteReason =
  /** Packets of this frame are missing (a hole, or its first or last packet never came). */
  | 'missing-packets'
  /** Whole packets between two frames were lost: at least one frame vanished (timestamp unknown). */
  | 'lost-packets'
  /** All packets arrived but the codec could not join them (e.g. an unterminated fragment). */
  | 'invalid-payload'
  /** The frame exceeded `maxPacketsPerFrame` or `maxPendingFrames` forced it out. */
  | 'overflow'
  /** `flush()` was called while the frame was still waiting for packets. */
  | 'flushed';

export interface IncompleteFrameEvent {
  readonly type: 'incomplete';
  readonly reason: IncompleteReason;
  /** RTP timestamp of the frame, unknown when whole frames were lost. */
  readonly timestamp: number | undefined;
  readonly receivedPackets: number;
  readonly firstSequenceNumber: number;
  readonly lastSequenceNumber: number;
}

export type AssemblerEvent = { readonly type: 'frame'; readonly frame: AssembledFrame } | IncompleteFrameEvent;

export interface FrameAssemblerOptions {
  /**
   * How many sequence numbers newer packets may run ahead of a missing one before it is declared
   * lost (default 16). Larger tolerates more reordering; smaller reports loss sooner.
   */
  readonly reorderWindow?: number;
  /** Frames waiting for packets at once before the oldest is given up (default 32). */
  readonly maxPendingFrames?: number;
  /** Packets one frame may hold before it is given up (default 4096). */
  readonly maxPacketsPerFrame?: number;
  readonly dropCounters?: DropCounters;
  readonly logger?: Logger;
}

interface PendingPacket<P> {
  readonly parsed: P;
  readonly marker: boolean;
}

interface PendingFrame<P> {
  readonly timestamp: number;
  readonly packets: Map<number, PendingPacket<P>>;
  minSeq: number;
  maxSeq: number;
  endSeq: number | undefined;
}

/** Sequence jumps backwards larger than this are taken as a stream restart. */
const RESTART_DISTANCE = 3000;

/**
 * A small reorder-tolerant frame assembler (sans-IO). Packets go in with `handlePacket`, events
 * come out of `pollEvent` in decode order: each frame either as a whole `frame` or as an
 * `incomplete` event with a reason — a frame with a missing packet is never emitted as whole.
 *
 * A frame is the run of packets sharing an RTP timestamp. It starts at the packet that follows
 * the previous frame (or that the codec marks as a start) and ends at the marker packet (RFC 3550
 * §5.1); it is complete when every sequence number in between arrived. This is not a jitter
 * buffer: it never waits for time, only for `reorderWindow` newer sequence numbers.
 */
export class FrameAssembler<P extends DepacketizedPayload = DepacketizedPayload> {
  readonly dropCounters: DropCounters;
  private readonly reorderWindow: number;
  private readonly maxPendingFrames: number;
  private readonly maxPacketsPerFrame: number;
  private readonly logger: Logger | undefined;
  private unwrapper = new Unwrapper(16);
  private pending: PendingFrame<P>[] = [];
  private readonly events: AssemblerEvent[] = [];
  private highestSeq: number | undefined;
  /** Highest sequence number of a frame already emitted or given up. */
  private resolvedUpTo: number | undefined;
  private resolvedTimestamp: number | undefined;
  /** True when the last resolved frame ended with its marker packet (so a gap after it is new loss). */
  private resolvedCleanly = false;
  /** While flushing, nothing more will arrive: every missing packet counts as lost. */
  private flushing = false;
  /** Sequence numbers of padding-only packets not yet behind `resolvedUpTo`. */
  private readonly padding = new Set<number>();

  constructor(
    private readonly depacketizer: Depacketizer<P>,
    options: FrameAssemblerOptions = {},
  ) {
    this.reorderWindow = options.reorderWindow ?? 16;
    this.maxPendingFrames = options.maxPendingFrames ?? 32;
    this.maxPacketsPerFrame = options.maxPacketsPerFrame ?? 4096;
    this.dropCounters = options.dropCounters ?? new DropCounters();
    this.logger = options.logger;
  }

  /** Feed one received RTP packet. Malformed payloads are dropped and counted, never thrown. */
  handlePacket(packet: RtpPacketLike): void {
    if (packet.payload.byteLength === 0) {
      this.handlePadding(packet.sequenceNumber);
      return;
    }
    let parsed: P;
    try {
      parsed = this.depacketizer.parse(packet.payload);
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.dropCounters.add('parse-error');
      this.logger?.debug('dropping malformed payload', { seq: packet.sequenceNumber, error: err.message });
      return;
    }
    let seq = this.unwrapper.unwrap(packet.sequenceNumber);
    if (this.resolvedUpTo !== undefined && this.resolvedUpTo - seq > RESTART_DISTANCE) {
      this.restart();
      seq = this.unwrapper.unwrap(packet.sequenceNumber);
    }
    if (this.resolvedUpTo !== undefined && seq <= this.resolvedUpTo) {
      this.dropCounters.add('late');
      return;
    }
    if (this.resolvedUpTo !== undefined && packet.timestamp === this.resolvedTimestamp) {
      // The tail of a frame already given up: it still tells where the next frame starts.
      this.dropCounters.add('late');
      if (this.pending.every((f) => f.minSeq > seq)) this.resolvedUpTo = seq;
      if (this.highestSeq === undefined || seq > this.highestSeq) this.highestSeq = seq;
      this.resolve();
      return;
    }
    let frame = this.pending.find((f) => f.timestamp === packet.timestamp);
    if (frame === undefined) {
      frame = { timestamp: packet.timestamp, packets: new Map(), minSeq: seq, maxSeq: seq, endSeq: undefined };
      this.pending.push(frame);
      this.pending.sort((a, b) => a.minSeq - b.minSeq);
    }
    if (frame.packets.has(seq)) {
      this.dropCounters.add('duplicate');
      return;
    }
    frame.packets.set(seq, { parsed, marker: packet.marker });
    if (seq < frame.minSeq) {
      frame.minSeq = seq;
      this.pending.sort((a, b) => a.minSeq - b.minSeq);
    }
    if (seq > frame.maxSeq) frame.maxSeq = seq;
    const ends = parsed.frameEnd ?? packet.marker;
    if (ends && (frame.endSeq === undefined || seq < frame.endSeq)) frame.endSeq = seq;
    if (this.highestSeq === undefined || seq > this.highestSeq) this.highestSeq = seq;
    if (frame.packets.size > this.maxPacketsPerFrame) {
      this.pending.splice(this.pending.indexOf(frame), 1);
      this.giveUp(frame, 'overflow');
    }
    this.resolve();
  }

  /**
   * A packet without payload (padding-only, e.g. bandwidth probing) carries no media but uses a
   * sequence number: remember it so it is not mistaken for a lost packet between frames.
   */
  private handlePadding(sequenceNumber: number): void {
    this.dropCounters.add('padding');
    const seq = this.unwrapper.unwrap(sequenceNumber);
    if (this.resolvedUpTo !== undefined && seq <= this.resolvedUpTo) return;
    this.padding.add(seq);
    if (this.padding.size > 1024) {
      for (const s of this.padding)
        if (this.resolvedUpTo === undefined || s <= this.resolvedUpTo) this.padding.delete(s);
      if (this.padding.size > 1024) this.padding.clear();
    }
    if (this.highestSeq === undefined || seq > this.highestSeq) this.highestSeq = seq;
    this.resolve();
  }

  /** The nearest sequence number below `seq` that is not a padding packet. */
  private beforePadding(seq: number): number {
    let prev = seq - 1;
    while (this.padding.has(prev)) prev--;
    return prev;
  }

  /** Next event, or `undefined` when none is ready. */
  pollEvent(): AssemblerEvent | undefined {
    return this.events.shift();
  }

  /** Feed a packet and drain every event it made ready. */
  push(packet: RtpPacketLike): AssemblerEvent[] {
    this.handlePacket(packet);
    return this.drain();
  }

  /** End of stream: emit what is complete and report every frame still waiting as incomplete. */
  flush(): AssemblerEvent[] {
    this.flushing = true;
    this.resolve();
    this.flushing = false;
    return this.drain();
  }

  private drain(): AssemblerEvent[] {
    const out = this.events.splice(0, this.events.length);
    return out;
  }

  private restart(): void {
    for (const frame of this.pending) this.giveUp(frame, 'flushed');
    this.pending = [];
    this.unwrapper = new Unwrapper(16);
    this.highestSeq = undefined;
    this.resolvedUpTo = undefined;
    this.resolvedTimestamp = undefined;
    this.resolvedCleanly = false;
    this.padding.clear();
  }

  /** Emit or give up frames from the oldest while a decision can be made. */
  private resolve(): void {
    while (this.pending.length > 0) {
      const frame = this.pending[0] as PendingFrame<P>;
      const overflow = this.pending.length > this.maxPendingFrames;
      // Stream start: an older packet may still arrive until `reorderWindow` newer ones have.
      if (this.resolvedUpTo === undefined && !overflow && !this.expired(frame.minSeq - 1)) return;
      const startKnown = this.startKnown(frame);
      if (startKnown && this.isComplete(frame)) {
        const gapStart = this.resolvedUpTo === undefined ? frame.minSeq : this.resolvedUpTo + 1;
        if (gapStart <= this.beforePadding(frame.minSeq)) {
          // Wait until the newest missing packet of the gap is past the window: the gap may
          // hold an earlier frame that is only late.
          if (!overflow && !this.expired(frame.minSeq - 1)) return;
          if (this.resolvedCleanly) this.reportGap(gapStart, this.beforePadding(frame.minSeq));
        }
        this.pending.shift();
        this.emit(frame);
        continue;
      }
      if (!overflow && !this.expired(this.firstMissing(frame, startKnown))) return;
      this.pending.shift();
      this.giveUp(frame, overflow ? 'overflow' : this.flushing ? 'flushed' : 'missing-packets');
    }
  }

  private expired(missingSeq: number): boolean {
    if (this.flushing) return true;
    return this.highestSeq !== undefined && this.highestSeq - missingSeq > this.reorderWindow;
  }

  private startKnown(frame: PendingFrame<P>): boolean {
    const first = frame.packets.get(frame.minSeq) as PendingPacket<P>;
    const claim = first.parsed.frameStart;
    if (claim === true) return true;
    if (claim === false) return false;
    const prev = this.beforePadding(frame.minSeq);
    if (this.resolvedUpTo === prev) return true;
    for (const other of this.pending) if (other !== frame && other.packets.has(prev)) return true;
    // Stream start: nothing came before, and the codec cannot tell; trust the first packet.
    return this.resolvedUpTo === undefined && this.pending[0] === frame;
  }

  private isComplete(frame: PendingFrame<P>): boolean {
    if (frame.endSeq === undefined) return false;
    // Fast path: nothing after the marker, so a full count means no hole.
    if (frame.maxSeq === frame.endSeq) return frame.packets.size === frame.endSeq - frame.minSeq + 1;
    for (let s = frame.minSeq; s <= frame.endSeq; s++) if (!frame.packets.has(s)) return false;
    return true;
  }

  /** The lowest sequence number the frame still waits for. */
  private firstMissing(frame: PendingFrame<P>, startKnown: boolean): number {
    if (!startKnown) return frame.minSeq - 1;
    const last = frame.endSeq ?? frame.maxSeq;
    for (let s = frame.minSeq; s <= last; s++) if (!frame.packets.has(s)) return s;
    return last + 1;
  }

  private emit(frame: PendingFrame<P>): void {
    const end = frame.endSeq as number;
    const parts: P[] = [];
    for (let s = frame.minSeq; s <= end; s++) parts.push((frame.packets.get(s) as PendingPacket<P>).parsed);
    let media: AssembledMedia | undefined;
    try {
      media = this.depacketizer.assemble(parts);
    } catch (err) {
      if (!isParseError(err)) throw err;
      media = undefined;
    }
    if (frame.maxSeq > end) this.dropCounters.add('after-marker', frame.maxSeq - end);
    this.markResolved(frame, Math.max(end, frame.maxSeq), true);
    if (media === undefined) {
      this.dropCounters.add('invalid-frame');
      this.events.push(this.incompleteEvent(frame, 'invalid-payload'));
      return;
    }
    this.events.push({
      type: 'frame',
      frame: {
        ...media,
        complete: true,
        timestamp: frame.timestamp,
        firstSequenceNumber: frame.minSeq & 0xffff,
        lastSequenceNumber: end & 0xffff,
        packetCount: parts.length,
      },
    });
  }

  private giveUp(frame: PendingFrame<P>, reason: IncompleteReason): void {
    this.dropCounters.add('incomplete-frame');
    this.logger?.debug('frame incomplete', { timestamp: frame.timestamp, reason, packets: frame.packets.size });
    this.markResolved(frame, frame.maxSeq, frame.endSeq !== undefined);
    this.events.push(this.incompleteEvent(frame, reason));
  }

  private markResolved(frame: PendingFrame<P>, upTo: number, clean: boolean): void {
    if (this.resolvedUpTo === undefined || upTo > this.resolvedUpTo) this.resolvedUpTo = upTo;
    for (const s of this.padding) if (s <= this.resolvedUpTo) this.padding.delete(s);
    this.resolvedTimestamp = frame.timestamp;
    this.resolvedCleanly = clean;
  }

  private reportGap(from: number, to: number): void {
    this.dropCounters.add('lost-frame');
    this.events.push({
      type: 'incomplete',
      reason: 'lost-packets',
      timestamp: undefined,
      receivedPackets: 0,
      firstSequenceNumber: from & 0xffff,
      lastSequenceNumber: to & 0xffff,
    });
  }

  private incompleteEvent(frame: PendingFrame<P>, reason: IncompleteReason): IncompleteFrameEvent {
    return {
      type: 'incomplete',
      reason,
      timestamp: frame.timestamp,
      receivedPackets: frame.packets.size,
      firstSequenceNumber: frame.minSeq & 0xffff,
      lastSequenceNumber: frame.maxSeq & 0xffff,
    };
  }
}
