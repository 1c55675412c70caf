import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, ParseError, concatBytes, fromHex, timingSafeEqualBytes, toHex } from '../src/index.js';

describe('ByteReader/ByteWriter', () => {
  it('round-trips every integer width', () => {
    const w = new ByteWriter(1);
    w.u8(0xab).u16(0xbeef).u24(0x123456).u32(0xdeadbeef).u48(0x123456789abc).u64(0x0102030405060708n);
    const r = new ByteReader(w.finish());
    expect(r.u8()).toBe(0xab);
    expect(r.u16()).toBe(0xbeef);
    expect(r.u24()).toBe(0x123456);
    expect(r.u32()).toBe(0xdeadbeef);
    expect(r.u48()).toBe(0x123456789abc);
    expect(r.u64()).toBe(0x0102030405060708n);
    expect(r.remaining).toBe(0);
  });

  it('throws a typed truncated error with the offset', () => {
    const r = new ByteReader(new Uint8Array([1, 2, 3]));
    r.u16();
    try {
      r.u16();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).code).toBe('truncated');
      expect((e as ParseError).offset).toBe(2);
    }
  });

  it('bytes() is a zero-copy view', () => {
    const data = new Uint8Array([1, 2, 3, 4]);
    const v = new ByteReader(data, 1).bytes(2);
    data[1] = 9;
    expect(Array.from(v)).toEqual([9, 3]);
  });

  it('patchUint writes a length after the content', () => {
    const w = new ByteWriter();
    const at = w.reserve(2);
    w.bytes(new Uint8Array(300));
    w.patchUint(at, 2, 300);
    expect(new ByteReader(w.finish()).u16()).toBe(300);
  });

  it('hex helpers round-trip and reject junk', () => {
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
    expect(toHex(fromHex('AB:CD'))).toBe('abcd');
    expect(() => fromHex('abc')).toThrow(ParseError);
    expect(() => fromHex('zz')).toThrow(ParseError);
  });

  it('concat and constant-time compare', () => {
    const c = concatBytes(new Uint8Array([1]), new Uint8Array([2, 3]));
    expect(Array.from(c)).toEqual([1, 2, 3]);
    expect(timingSafeEqualBytes(c, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqualBytes(c, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqualBytes(c, new Uint8Array([1, 2]))).toBe(false);
  });

  it('property: u32 sequences round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff })), (values) => {
        const w = new ByteWriter(2);
        for (const v of values) w.u32(v);
        const r = new ByteReader(w.finish());
        return values.every((v) => r.u32() === v) && r.remaining === 0;
      }),
    );
  });

  it('property: reading random bytes only ever throws ParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 10 }), (data, ops) => {
        const r = new ByteReader(data);
        try {
          for (const op of ops) [() => r.u8(), () => r.u16(), () => r.u24(), () => r.u32(), () => r.u48(), () => r.u64(), () => r.bytes(3)][op]?.();
        } catch (e) {
          return e instanceof ParseError;
        }
        return true;
      }),
    );
  });
});
