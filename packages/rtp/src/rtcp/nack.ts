/**
 * Generic NACK, RTPFB FMT 1 (RFC 4585 §6.2.1).
 *
 *  |V=2|P|  FMT=1  |   PT=RTPFB    |             length            |
 *  |                  SSRC of packet sender                        |
 *  |                  SSRC of media source                         |
 *  |            PID                |             BLP               |   × n
 *
 * PID is a lost sequence number; bit i of BLP (LSB = bit 0) marks PID + i + 1 as lost too.
 */
import { type ByteReader, type ByteWriter, seq16Diff } from '@rtcwire/common';
import { beginPacket, checkU32, checkUint, endPacket, RtcpPacketType, RtpfbFormat } from './header.js';

export interface NackItem {
  readonly pid: number;
  readonly blp: number;
}

export interface GenericNack {
  readonly type: 'nack';
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  readonly items: readonly NackItem[];
}

export function decodeGenericNack(r: ByteReader): GenericNack {
  const senderSsrc = r.u32();
  const mediaSsrc = r.u32();
  const items: NackItem[] = [];
  while (r.remaining >= 4) items.push({ pid: r.u16(), blp: r.u16() });
  return { type: 'nack', senderSsrc, mediaSsrc, items };
}

export function encodeGenericNack(w: ByteWriter, p: GenericNack): void {
  checkU32(p.senderSsrc, 'senderSsrc');
  checkU32(p.mediaSsrc, 'mediaSsrc');
  const at = beginPacket(w, RtpfbFormat.NACK, RtcpPacketType.RTPFB);
  w.u32(p.senderSsrc).u32(p.mediaSsrc);
  for (const item of p.items) {
    checkUint(item.pid, 0xffff, 'NACK pid');
    checkUint(item.blp, 0xffff, 'NACK blp');
    w.u16(item.pid).u16(item.blp);
  }
  endPacket(w, at);
}

/**
 * Pack lost sequence numbers into PID/BLP items. Input may be unsorted, contain duplicates and
 * cross the 16-bit wrap; it is ordered by serial-number distance from the first element.
 */
export function nackItemsFromSequences(sequences: Iterable<number>): NackItem[] {
  const list = [...sequences].map((s) => s & 0xffff);
  if (list.length === 0) return [];
  const origin = list[0] as number;
  list.sort((a, b) => seq16Diff(a, origin) - seq16Diff(b, origin));
  const items: NackItem[] = [];
  let pid = -1;
  let blp = 0;
  for (const seq of list) {
    if (pid >= 0) {
      const d = seq16Diff(seq, pid);
      if (d === 0) continue;
      if (d <= 16) {
        blp |= 1 << (d - 1);
        continue;
      }
      items.push({ pid, blp });
    }
    pid = seq;
    blp = 0;
  }
  items.push({ pid, blp });
  return items;
}

/** All sequence numbers reported lost by `items`, in wire order. */
export function sequencesFromNackItems(items: readonly NackItem[]): number[] {
  const out: number[] = [];
  for (const { pid, blp } of items) {
    out.push(pid);
    for (let i = 0; i < 16; i++) if (blp & (1 << i)) out.push((pid + i + 1) & 0xffff);
  }
  return out;
}
