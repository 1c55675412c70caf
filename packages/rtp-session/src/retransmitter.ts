/**
 * Send-side packet history and NACK responder (RFC 4585 §6.2.1, RFC 4588). Sent packets are kept,
 * bounded by count and age; a received Generic NACK queues the requested ones for retransmission
 * — wrapped in RTX (own SSRC, payload type and sequence numbers, OSN first, §4) when RTX was
 * negotiated, else resent as they were. A packet is not resent again within one RTT, since the
 * previous copy may still be in flight.
 */
import { Unwrapper } from '@rtcwire/common';
import { type GenericNack, type RtpPacket, sequencesFromNackItems, toRtxPacket } from '@rtcwire/rtp';
import { nearestUnwrapped } from './serial.js';

export interface RetransmitterOptions {
  /** Packets kept (default 1024). */
  readonly maxPackets?: number;
  /** Age after which a packet is no longer resent (default 1000 ms). */
  readonly maxAgeMs?: number;
  /** RTX stream (RFC 4588) if negotiated; plain retransmission otherwise. */
  readonly rtx?: RtxStreamOptions;
  /** Initial round-trip estimate (default 100 ms). */
  readonly initialRttMs?: number;
}

/** The RTX stream a retransmission is wrapped in (RFC 4588 §4). */
export interface RtxStreamOptions {
  readonly ssrc: number;
  /** RTX payload type for every media payload type (one codec). */
  readonly payloadType?: number;
  /** RTX payload type per media payload type (`a=fmtp:<rtx> apt=<media>`); wins over `payloadType`. */
  readonly payloadTypes?: ReadonlyMap<number, number>;
  readonly initialSequenceNumber: number;
}

interface Stored {
  /** Unwrapped sequence number: tells whether a ring slot still holds the packet asked for. */
  readonly seq: number;
  readonly packet: RtpPacket;
  readonly sentAt: number;
  resentAt: number | undefined;
}

export class Retransmitter {
  /** getStats `nackCount` on outbound-rtp: NACK messages received. */
  nackCount = 0;
  retransmittedPacketsSent = 0;
  retransmittedBytesSent = 0;
  /** Requested packets no longer (or never) in the history. */
  packetsNotFound = 0;
  private readonly seqs = new Unwrapper(16);
  /** A ring indexed by sequence number: O(1) store and lookup, the oldest overwritten (count bound). */
  private readonly history: (Stored | undefined)[];
  private stored = 0;
  private readonly queue: RtpPacket[] = [];
  private rtxSequence: number;
  private rtx: RtxStreamOptions | undefined;
  private rttMs: number;
  private readonly maxPackets: number;
  private readonly maxAge: number;

  constructor(options: RetransmitterOptions = {}) {
    this.maxPackets = Math.max(1, options.maxPackets ?? 1024);
    this.maxAge = options.maxAgeMs ?? 1000;
    this.history = new Array(this.maxPackets);
    this.rtx = options.rtx;
    this.rtxSequence = (options.rtx?.initialSequenceNumber ?? 0) & 0xffff;
    this.rttMs = options.initialRttMs ?? 100;
  }

  /**
   * Change the RTX stream after a renegotiation (new payload types, or RTX added/removed); the RTX
   * sequence numbers continue (RFC 4588 §8.3: the RTX stream is one RTP stream).
   */
  setRtx(rtx: RtxStreamOptions | undefined): void {
    this.rtx = rtx;
  }

  setRoundTripTime(rttMs: number): void {
    if (Number.isFinite(rttMs) && rttMs >= 0) this.rttMs = rttMs;
  }

  /** Packets held (at most `maxPackets`; the age bound is applied when a packet is asked for). */
  get size(): number {
    return this.stored;
  }

  /** Remember a media packet as it is sent (before SRTP protection). */
  handlePacketSent(now: number, packet: RtpPacket): void {
    const seq = this.seqs.unwrap(packet.sequenceNumber);
    const slot = this.slotOf(seq);
    if (this.history[slot] === undefined) this.stored++;
    this.history[slot] = { seq, packet, sentAt: now, resentAt: undefined };
  }

  handleNack(now: number, nack: GenericNack): void {
    this.nackCount++;
    const highest = this.seqs.highest;
    for (const wire of sequencesFromNackItems(nack.items)) {
      const seq = highest === undefined ? wire : nearestUnwrapped(wire, highest);
      const stored = this.history[this.slotOf(seq)];
      if (!stored || stored.seq !== seq || now - stored.sentAt > this.maxAge) {
        this.packetsNotFound++;
        continue;
      }
      if (stored.resentAt !== undefined && now - stored.resentAt < this.rttMs) continue;
      stored.resentAt = now;
      this.queue.push(this.wrap(stored.packet));
    }
  }

  /** The next packet to send (already RTX-wrapped when RTX is negotiated). */
  pollRetransmission(): RtpPacket | undefined {
    const p = this.queue.shift();
    if (p) {
      this.retransmittedPacketsSent++;
      this.retransmittedBytesSent += p.payload.length;
    }
    return p;
  }

  /** Unwrapped numbers go below zero when a packet older than the first one is sent. */
  private slotOf(seq: number): number {
    return ((seq % this.maxPackets) + this.maxPackets) % this.maxPackets;
  }

  private wrap(packet: RtpPacket): RtpPacket {
    const rtx = this.rtx;
    const payloadType = rtx && (rtx.payloadTypes?.get(packet.payloadType) ?? rtx.payloadType);
    // No RTX payload type for this codec: resend the packet as it was (RFC 4585 plain retransmission).
    if (!rtx || payloadType === undefined) return packet;
    const out = toRtxPacket(packet, { ssrc: rtx.ssrc, payloadType }, this.rtxSequence);
    this.rtxSequence = (this.rtxSequence + 1) & 0xffff;
    return out;
  }
}
