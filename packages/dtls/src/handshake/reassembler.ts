import type { HandshakeFragment } from './header.js';

/** A complete handshake message, in order. */
export interface HandshakeMessage {
  readonly msgType: number;
  readonly messageSeq: number;
  readonly body: Uint8Array;
}

interface Partial {
  readonly msgType: number;
  readonly body: Uint8Array;
  readonly covered: Uint8Array;
  missing: number;
}

/** Largest handshake message accepted (a long certificate chain fits comfortably). */
export const MAX_HANDSHAKE_MESSAGE = 1 << 17;
/** How far ahead of the next expected message_seq fragments are buffered. */
const MAX_AHEAD = 16;

export type FragmentVerdict = 'old' | 'buffered' | 'rejected';

/**
 * Handshake reassembly (RFC 6347 §4.2.3): fragments may arrive out of order, overlap or repeat;
 * messages are released strictly in message_seq order. Coverage is tracked per byte, so any
 * overlap pattern is handled; a fragment that disagrees with an earlier one about the message
 * type or length is rejected.
 */
export class HandshakeReassembler {
  nextSeq = 0;
  private readonly pending = new Map<number, Partial>();

  /** Offer one fragment; 'old' means its message was already delivered (a peer retransmission). */
  add(f: HandshakeFragment): FragmentVerdict {
    if (f.messageSeq < this.nextSeq) return 'old';
    if (f.messageSeq >= this.nextSeq + MAX_AHEAD || f.length > MAX_HANDSHAKE_MESSAGE) return 'rejected';
    let p = this.pending.get(f.messageSeq);
    if (!p) {
      p = { msgType: f.msgType, body: new Uint8Array(f.length), covered: new Uint8Array(f.length), missing: f.length };
      this.pending.set(f.messageSeq, p);
    } else if (p.msgType !== f.msgType || p.body.byteLength !== f.length) {
      return 'rejected';
    }
    if (p.missing > 0) {
      const end = f.fragmentOffset + f.body.byteLength;
      p.body.set(f.body, f.fragmentOffset);
      for (let i = f.fragmentOffset; i < end; i++) {
        if (p.covered[i] === 0) {
          p.covered[i] = 1;
          p.missing--;
        }
      }
    }
    return 'buffered';
  }

  /** The next complete message in order, if any. */
  pop(): HandshakeMessage | undefined {
    const p = this.pending.get(this.nextSeq);
    if (!p || p.missing > 0) return undefined;
    this.pending.delete(this.nextSeq);
    return { msgType: p.msgType, messageSeq: this.nextSeq++, body: p.body };
  }

  /** Forget everything and expect `seq` next. */
  reset(seq: number): void {
    this.pending.clear();
    this.nextSeq = seq;
  }
}
