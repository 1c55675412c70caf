import { InvalidArgumentError, concatBytes } from '@rtcwire/common';
import { OGG_BOS, OGG_EOS, encodeOggPage, lacing } from './ogg.js';
import { opusPacketSamples } from '@rtcwire/codecs';
import { opusHead } from './opus-head.js';

/**
 * Ogg Opus writer (RFC 7845): ID header page, comment header page, then audio pages. Pages are emitted
 * whole once they hold `pageDurationMs` of audio, so a file cut between writes is valid up to its last
 * page. Granule positions come from the caller's timestamps (48 kHz samples since the start), so a gap in
 * the input stays a gap in time instead of being papered over with invented packets.
 */
export interface OggOpusWriterOptions {
  /** Logical stream serial number (RFC 3533 §4); pick it at random per file. */
  serial: number;
  channels?: number;
  preSkip?: number;
  vendor?: string;
  /** Close a page once it holds this much audio; default 1000 ms. */
  pageDurationMs?: number;
}

interface PendingPacket {
  data: Uint8Array;
  endGranule: bigint;
}

export class OggOpusWriter {
  private readonly serial: number;
  private readonly preSkip: number;
  private readonly channels: number;
  private readonly vendor: string;
  private readonly pageSamples: number;
  private sequence = 0;
  private started = false;
  private finished = false;
  private pending: PendingPacket[] = [];
  private pendingSegments = 0;
  private pageStartSamples: number | undefined;
  private lastGranule = 0n;
  private position = 0;
  packetsWritten = 0;

  constructor(options: OggOpusWriterOptions) {
    this.serial = options.serial >>> 0;
    this.preSkip = options.preSkip ?? 312;
    this.channels = options.channels ?? 2;
    this.vendor = options.vendor ?? 'rtcwire';
    this.pageSamples = ((options.pageDurationMs ?? 1000) * 48000) / 1000;
  }

  get bytesWritten(): number {
    return this.position;
  }

  /** The duration written so far in milliseconds (end of the last packet, less pre-skip). */
  get durationMs(): number {
    return Math.max(0, (Number(this.lastGranule) - this.preSkip) / 48);
  }

  /** RFC 7845 §5: the ID header alone on the first page (BOS), the comment header on the second. */
  start(): Uint8Array {
    if (this.started) throw new InvalidArgumentError('start() already called');
    this.started = true;
    const head = opusHead({ channels: this.channels, preSkip: this.preSkip });
    const tags = opusTags(this.vendor);
    return this.emit(concatBytes(this.page([head], 0n, OGG_BOS), this.page([tags], 0n, 0)));
  }

  /**
   * Add one Opus packet that starts `timestampSamples` (48 kHz) after the start of the recording.
   * Returns completed pages to append, or an empty array. Empty packets are skipped.
   */
  addPacket(packet: Uint8Array, timestampSamples: number): Uint8Array {
    if (!this.started || this.finished) throw new InvalidArgumentError('addPacket() needs start() and no finish()');
    if (packet.byteLength === 0) return new Uint8Array(0);
    const samples = opusPacketSamples(packet);
    let out: Uint8Array = new Uint8Array(0);
    const segments = lacing(packet.byteLength).length;
    const full = this.pageStartSamples !== undefined && timestampSamples - this.pageStartSamples >= this.pageSamples;
    if (full || this.pendingSegments + segments > 255) out = this.flushPage(0);
    this.pageStartSamples ??= timestampSamples;
    // RFC 7845 §4: granule = samples up to the end of the packet, counting pre-skip; never decreasing.
    let end = BigInt(this.preSkip + timestampSamples + samples);
    if (end < this.lastGranule) end = this.lastGranule;
    this.lastGranule = end;
    this.pending.push({ data: packet, endGranule: end });
    this.pendingSegments += segments;
    this.packetsWritten++;
    return out;
  }

  /** Emit the open page now. */
  flush(): Uint8Array {
    return this.flushPage(0);
  }

  /** The last page, marked end-of-stream. */
  finish(): Uint8Array {
    if (!this.started || this.finished) throw new InvalidArgumentError('finish() needs start() and is allowed once');
    this.finished = true;
    if (this.pending.length === 0) return this.emit(this.page([], this.lastGranule, OGG_EOS));
    return this.flushPage(OGG_EOS);
  }

  private flushPage(flags: number): Uint8Array {
    if (this.pending.length === 0) return new Uint8Array(0);
    const last = this.pending[this.pending.length - 1] as PendingPacket;
    const bytes = this.page(
      this.pending.map((p) => p.data),
      last.endGranule,
      flags,
    );
    this.pending = [];
    this.pendingSegments = 0;
    this.pageStartSamples = undefined;
    return this.emit(bytes);
  }

  private page(packets: readonly Uint8Array[], granule: bigint, flags: number): Uint8Array {
    const segments = packets.flatMap((p) => lacing(p.byteLength));
    return encodeOggPage({
      serial: this.serial,
      sequence: this.sequence++,
      granule,
      flags,
      segments,
      body: concatBytes(...packets),
    });
  }

  private emit(bytes: Uint8Array): Uint8Array {
    this.position += bytes.byteLength;
    return bytes;
  }
}

/** RFC 7845 §5.2: 'OpusTags', vendor string, zero user comments. */
function opusTags(vendor: string): Uint8Array {
  const v = new TextEncoder().encode(vendor);
  const out = new Uint8Array(8 + 4 + v.byteLength + 4);
  out.set(new TextEncoder().encode('OpusTags'), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, v.byteLength, true);
  out.set(v, 12);
  dv.setUint32(12 + v.byteLength, 0, true);
  return out;
}
