import { describe, expect, it } from 'vitest';
import {
  ManualClock,
  Unwrapper,
  createLogger,
  debugEnabled,
  earliest,
  parseAddress,
  formatAddress,
  randomIceString,
  secureRandom,
  seededRandom,
  seq16Diff,
  seq16Newer,
  seq32Diff,
} from '../src/index.js';

describe('serial arithmetic', () => {
  it('compares across the 16-bit wrap', () => {
    expect(seq16Diff(0, 65535)).toBe(1);
    expect(seq16Diff(65535, 0)).toBe(-1);
    expect(seq16Newer(2, 65530)).toBe(true);
    expect(seq32Diff(0, 0xffffffff)).toBe(1);
  });

  it('unwraps 16-bit counters with reordering around the wrap', () => {
    const u = new Unwrapper(16);
    const seen = [65533, 65534, 1, 65535, 0, 2].map((s) => u.unwrap(s));
    expect(seen).toEqual([65533, 65534, 65537, 65535, 65536, 65538]);
    expect(u.highest).toBe(65538);
  });

  it('unwraps backwards before the first value', () => {
    const u = new Unwrapper(16);
    expect(u.unwrap(1)).toBe(1);
    expect(u.unwrap(65535)).toBe(-1);
  });
});

describe('random sources', () => {
  it('seeded sources are reproducible and differ by seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(seqA);
    expect(a.secure).toBe(false);
  });

  it('floats are in [0,1) and roughly uniform', () => {
    const r = seededRandom(1);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      sum += f;
    }
    expect(sum / 10000).toBeGreaterThan(0.48);
    expect(sum / 10000).toBeLessThan(0.52);
  });

  it('secure random yields bytes and ICE strings', () => {
    expect(secureRandom.bytes(70000).byteLength).toBe(70000);
    expect(secureRandom.secure).toBe(true);
    expect(randomIceString(secureRandom, 22)).toMatch(/^[A-Za-z0-9+/]{22}$/);
  });
});

describe('time and addresses', () => {
  it('manual clock refuses to go backwards', () => {
    const c = new ManualClock(10);
    c.advanceBy(5);
    expect(c.now()).toBe(15);
    expect(() => c.advanceTo(1)).toThrow(RangeError);
  });

  it('earliest ignores undefined', () => {
    expect(earliest(undefined, 5, 3, undefined)).toBe(3);
    expect(earliest()).toBeUndefined();
  });

  it('parses and formats v4 and v6 addresses', () => {
    expect(parseAddress('127.0.0.1:3478')).toEqual({ address: '127.0.0.1', port: 3478, family: 'IPv4' });
    const v6 = parseAddress('[::1]:9');
    expect(v6?.family).toBe('IPv6');
    expect(formatAddress(v6!)).toBe('[::1]:9');
    expect(parseAddress('nope')).toBeUndefined();
    expect(parseAddress('1.2.3.4:70000')).toBeUndefined();
  });
});

describe('logger', () => {
  it('is off by default and follows DEBUG patterns', () => {
    expect(debugEnabled(undefined, 'rtcwire:ice')).toBe(false);
    expect(debugEnabled('rtcwire:*', 'rtcwire:ice')).toBe(true);
    expect(debugEnabled('rtcwire:*,-rtcwire:ice', 'rtcwire:ice')).toBe(false);
    expect(debugEnabled('rtcwire:dtls', 'rtcwire:ice')).toBe(false);
  });

  it('writes to the sink only when enabled', () => {
    const lines: string[] = [];
    const log = createLogger('ice', { patterns: 'rtcwire:ice*', sink: (ns, _l, m) => lines.push(`${ns} ${m}`) });
    log.debug('hello');
    log.child('pair').debug('x');
    createLogger('dtls', { patterns: 'rtcwire:ice', sink: (_n, _l, m) => lines.push(m) }).debug('hidden');
    expect(lines).toEqual(['rtcwire:ice hello', 'rtcwire:ice:pair x']);
  });
});
