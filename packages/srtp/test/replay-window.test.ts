import { describe, expect, it } from 'vitest';
import { estimateIndex, ReplayWindow } from '../src/index.js';

describe('ReplayWindow', () => {
  it('accepts new indices, rejects duplicates and indices left of the window', () => {
    const w = new ReplayWindow(64);
    expect(w.check(100)).toBe('ok');
    w.accept(100);
    expect(w.check(100)).toBe('replayed');
    expect(w.check(99)).toBe('ok');
    w.accept(99);
    expect(w.check(99)).toBe('replayed');
    expect(w.check(37)).toBe('ok'); // 100 - 37 = 63 < 64
    expect(w.check(36)).toBe('too_old');
    w.accept(164); // slides the window by 64: everything <= 100 is now too old
    expect(w.check(100)).toBe('too_old');
    expect(w.check(101)).toBe('ok');
    expect(w.check(164)).toBe('replayed');
  });

  it('clears the slots it slides over', () => {
    const w = new ReplayWindow(32);
    for (let i = 0; i < 32; i++) w.accept(i);
    w.accept(40); // indices 32..39 reuse the slots of 0..7 and must read as unseen
    for (let i = 32; i < 40; i++) expect(w.check(i)).toBe('ok');
    for (let i = 9; i < 32; i++) expect(w.check(i)).toBe('replayed');
    expect(w.check(8)).toBe('too_old');
  });

  it('supports a 512-packet window for video', () => {
    const w = new ReplayWindow(512);
    w.accept(1000);
    expect(w.check(1000 - 511)).toBe('ok');
    expect(w.check(1000 - 512)).toBe('too_old');
  });

  it('rejects sizes that are not positive multiples of 32', () => {
    expect(() => new ReplayWindow(0)).toThrow(RangeError);
    expect(() => new ReplayWindow(33)).toThrow(RangeError);
  });
});

describe('estimateIndex (RFC 3711 §3.3.1)', () => {
  it('uses the initial ROC for the first packet', () => {
    expect(estimateIndex(-1, 5, 0)).toBe(5);
    expect(estimateIndex(-1, 5, 2)).toBe(2 * 65536 + 5);
  });

  it('guesses ROC + 1 across the wrap and ROC - 1 for late packets from before it', () => {
    expect(estimateIndex(65535, 0, 0)).toBe(65536); // 65535 -> 0
    expect(estimateIndex(65530, 10, 0)).toBe(65546);
    expect(estimateIndex(65536 + 3, 65534, 0)).toBe(65534); // late packet of the previous cycle
    expect(estimateIndex(65536 + 3, 4, 0)).toBe(65540);
    expect(estimateIndex(3 * 65536 + 40000, 30000, 0)).toBe(3 * 65536 + 30000);
  });

  it('returns -1 when the guess needs a negative ROC', () => {
    expect(estimateIndex(3, 65534, 0)).toBe(-1);
  });
});
