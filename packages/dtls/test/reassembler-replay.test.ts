import { describe, expect, it } from 'vitest';
import { decodeHandshakeFragments, encodeHandshakeFragment } from '../src/handshake/header.js';
import { HandshakeReassembler } from '../src/handshake/reassembler.js';
import { ReplayWindow } from '../src/replay-window.js';

const frag = (type: number, seq: number, body: Uint8Array, off: number, n: number) => {
  const [f] = decodeHandshakeFragments(encodeHandshakeFragment(type, seq, body, off, n));
  if (!f) throw new Error('no fragment');
  return f;
};

describe('HandshakeReassembler', () => {
  const body = Uint8Array.from({ length: 50 }, (_, i) => i);

  it('releases messages in message_seq order only when complete', () => {
    const r = new HandshakeReassembler();
    expect(r.add(frag(2, 1, Uint8Array.of(9), 0, 1))).toBe('buffered');
    expect(r.pop()).toBeUndefined();
    r.add(frag(11, 0, body, 30, 20));
    r.add(frag(11, 0, body, 10, 25)); // overlaps
    r.add(frag(11, 0, body, 10, 25)); // duplicate
    expect(r.pop()).toBeUndefined();
    r.add(frag(11, 0, body, 0, 10));
    expect(r.pop()).toEqual({ msgType: 11, messageSeq: 0, body });
    expect(r.pop()?.messageSeq).toBe(1);
    expect(r.add(frag(11, 0, body, 0, 10))).toBe('old');
  });

  it('rejects inconsistent fragments and far-future messages', () => {
    const r = new HandshakeReassembler();
    r.add(frag(11, 0, body, 0, 10));
    expect(r.add(frag(12, 0, body, 10, 10))).toBe('rejected');
    expect(r.add(frag(11, 0, body.subarray(0, 40), 10, 10))).toBe('rejected');
    expect(r.add(frag(11, 100, body, 0, 10))).toBe('rejected');
  });
});

describe('ReplayWindow (RFC 6347 §4.1.2.6)', () => {
  it('accepts new numbers, rejects repeats and numbers left of the window', () => {
    const w = new ReplayWindow();
    for (const s of [0, 1, 5, 3]) {
      expect(w.check(s)).toBe(true);
      w.accept(s);
    }
    expect(w.check(3)).toBe(false);
    expect(w.check(5)).toBe(false);
    expect(w.check(4)).toBe(true);
    w.accept(100);
    expect(w.check(36)).toBe(false); // 100 - 36 = 64: outside
    expect(w.check(37)).toBe(true);
    w.accept(37);
    expect(w.check(37)).toBe(false);
    expect(w.check(70)).toBe(true);
    w.accept(70);
    expect(w.check(70)).toBe(false);
    w.accept(2 ** 47); // a big jump clears the window
    expect(w.check(2 ** 47 - 1)).toBe(true);
    expect(w.check(2 ** 47)).toBe(false);
  });

  it('matches a reference set model on random traffic', () => {
    const w = new ReplayWindow();
    const seen = new Set<number>();
    let top = -1;
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const seq = Math.max(0, top + ((x >>> 8) % 90) - 70);
      const expected = !seen.has(seq) && (seq > top || top - seq < 64);
      expect(w.check(seq)).toBe(expected);
      if (expected) {
        w.accept(seq);
        seen.add(seq);
        top = Math.max(top, seq);
      }
    }
  });
});
