/**
 * Extended report, PT 207 (RFC 3611 §2), with the blocks WebRTC uses for receiver-side RTT:
 * Receiver Reference Time (BT 4, §4.4) and DLRR (BT 5, §4.5). Other blocks are kept raw.
 *
 *  |V=2|P|reserved |   PT=XR=207   |             length            |
 *  |                              SSRC                             |
 *  |      BT       | type-specific |         block length          |   block length = words - 1
 *  |                   type-specific block contents ...            |
 */
import { type ByteReader, type ByteWriter, InvalidArgumentError, ParseError } from '@rtcwire/common';
import { beginPacket, checkU32, checkUint, endPacket, RtcpPacketType } from './header.js';

export interface ReceiverReferenceTimeBlock {
  readonly kind: 'rrtr';
  readonly ntpTimestamp: bigint;
}

export interface DlrrSubBlock {
  readonly ssrc: number;
  /** Middle 32 bits of the RRTR NTP timestamp. */
  readonly lastRr: number;
  /** Delay since that RRTR in 1/65536 s. */
  readonly delaySinceLastRr: number;
}

export interface DlrrBlock {
  readonly kind: 'dlrr';
  readonly subBlocks: readonly DlrrSubBlock[];
}

export interface UnknownXrBlock {
  readonly kind: 'unknown';
  readonly blockType: number;
  readonly typeSpecific: number;
  /** Block contents after the 4-byte block header; a multiple of 4 bytes. */
  readonly data: Uint8Array;
}

export type XrBlock = ReceiverReferenceTimeBlock | DlrrBlock | UnknownXrBlock;

export interface ExtendedReport {
  readonly type: 'xr';
  readonly ssrc: number;
  readonly blocks: readonly XrBlock[];
}

const BT_RRTR = 4;
const BT_DLRR = 5;

export function decodeExtendedReport(r: ByteReader): ExtendedReport {
  const ssrc = r.u32();
  const blocks: XrBlock[] = [];
  while (r.remaining > 0) {
    const blockStart = r.offset;
    const blockType = r.u8();
    const typeSpecific = r.u8();
    const words = r.u16();
    const body = r.bytes(words * 4);
    if (blockType === BT_RRTR) {
      if (words !== 2) throw new ParseError('invalid_xr', `RRTR block length ${words} (expected 2)`, blockStart);
      const v = new DataView(body.buffer, body.byteOffset, 8);
      blocks.push({ kind: 'rrtr', ntpTimestamp: v.getBigUint64(0) });
    } else if (blockType === BT_DLRR) {
      if (words % 3 !== 0) throw new ParseError('invalid_xr', `DLRR block length ${words}`, blockStart);
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      const subBlocks: DlrrSubBlock[] = [];
      for (let i = 0; i < words * 4; i += 12) {
        subBlocks.push({ ssrc: v.getUint32(i), lastRr: v.getUint32(i + 4), delaySinceLastRr: v.getUint32(i + 8) });
      }
      blocks.push({ kind: 'dlrr', subBlocks });
    } else {
      blocks.push({ kind: 'unknown', blockType, typeSpecific, data: body });
    }
  }
  return { type: 'xr', ssrc, blocks };
}

export function encodeExtendedReport(w: ByteWriter, p: ExtendedReport): void {
  checkU32(p.ssrc, 'ssrc');
  const at = beginPacket(w, 0, RtcpPacketType.XR);
  w.u32(p.ssrc);
  for (const b of p.blocks) {
    switch (b.kind) {
      case 'rrtr':
        if (b.ntpTimestamp < 0n || b.ntpTimestamp > 0xffffffffffffffffn) throw new InvalidArgumentError('ntpTimestamp');
        w.u8(BT_RRTR).u8(0).u16(2).u64(b.ntpTimestamp);
        break;
      case 'dlrr':
        if (b.subBlocks.length * 3 > 0xffff) throw new InvalidArgumentError('too many DLRR sub-blocks');
        w.u8(BT_DLRR)
          .u8(0)
          .u16(b.subBlocks.length * 3);
        for (const s of b.subBlocks) {
          checkU32(s.ssrc, 'dlrr ssrc');
          checkU32(s.lastRr, 'lastRr');
          checkU32(s.delaySinceLastRr, 'delaySinceLastRr');
          w.u32(s.ssrc).u32(s.lastRr).u32(s.delaySinceLastRr);
        }
        break;
      case 'unknown':
        checkUint(b.blockType, 255, 'XR block type');
        checkUint(b.typeSpecific, 255, 'XR type-specific');
        if (b.data.length % 4 !== 0 || b.data.length / 4 > 0xffff) {
          throw new InvalidArgumentError('XR block data is not word-aligned');
        }
        w.u8(b.blockType)
          .u8(b.typeSpecific)
          .u16(b.data.length / 4)
          .bytes(b.data);
        break;
    }
  }
  endPacket(w, at);
}
