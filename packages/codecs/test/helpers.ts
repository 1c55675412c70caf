import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameAssembler } from '../src/frame-assembler.js';
import type { AssembledFrame, AssemblerEvent } from '../src/frame-assembler.js';
import type { DepacketizedPayload, Depacketizer, RtpPacketLike, RtpPayload } from '../src/types.js';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', name)));
}

/** Minimal IVF reader for fixtures (the real one lives in @rtcwire/containers, a higher layer). */
export function ivfFrames(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const frames: Uint8Array[] = [];
  let at = view.getUint16(6, true);
  while (at < file.byteLength) {
    const size = view.getUint32(at, true);
    frames.push(file.subarray(at + 12, at + 12 + size));
    at += 12 + size;
  }
  return frames;
}

/** Turn packetizer output for consecutive frames into RTP packets with seq/timestamp. */
export function toPackets(payloadsPerFrame: RtpPayload[][], firstSeq = 65530, tsStep = 3000): RtpPacketLike[] {
  const out: RtpPacketLike[] = [];
  let seq = firstSeq;
  payloadsPerFrame.forEach((payloads, i) => {
    for (const p of payloads) {
      out.push({
        sequenceNumber: seq & 0xffff,
        timestamp: (1000 + i * tsStep) >>> 0,
        marker: p.marker,
        payload: p.payload,
      });
      seq++;
    }
  });
  return out;
}

export function frames(events: AssemblerEvent[]): AssembledFrame[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
}

/** Run packets through a fresh assembler and return every event, flushed at the end. */
export function assemble<P extends DepacketizedPayload>(
  depacketizer: Depacketizer<P>,
  packets: readonly RtpPacketLike[],
  reorderWindow = 16,
): AssemblerEvent[] {
  const asm = new FrameAssembler(depacketizer, { reorderWindow });
  const events: AssemblerEvent[] = [];
  for (const p of packets) events.push(...asm.push(p));
  events.push(...asm.flush());
  return events;
}

/**
 * Reorder deterministically (from `seed`) so that no item is overtaken by one more than `window`
 * positions behind it: each item is sorted by its index plus a random offset below `window`.
 */
export function shuffleWithin<T>(items: readonly T[], window: number, seed: number): T[] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return items
    .map((item, i) => ({ item, key: i + rand() * window }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}
