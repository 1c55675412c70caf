import { fromHex, isParseError, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  decodeChannelData,
  encodeChannelData,
  encodeStunMessage,
  isChannelData,
  StreamFramer,
  type StreamFrame,
} from '../src/index.js';

function parseCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(isParseError(err)).toBe(true);
    return (err as { code: string }).code;
  }
}

describe('ChannelData (RFC 8656 §12.4)', () => {
  it('encodes golden bytes, with and without stream padding', () => {
    expect(toHex(encodeChannelData(0x4001, fromHex('aabbcc')))).toBe('40010003aabbcc');
    expect(toHex(encodeChannelData(0x4001, fromHex('aabbcc'), { pad: true }))).toBe('40010003aabbcc00');
    expect(toHex(encodeChannelData(0x4fff, new Uint8Array(0)))).toBe('4fff0000');
  });
  it('decodes, tolerating padding', () => {
    const d = decodeChannelData(fromHex('40010003aabbcc00'));
    expect(d.channel).toBe(0x4001);
    expect(toHex(d.data)).toBe('aabbcc');
    expect(isChannelData(fromHex('40010003aabbcc00'))).toBe(true);
    expect(isChannelData(fromHex('0001'))).toBe(false);
  });
  it('rejects invalid channels and truncation', () => {
    expect(parseCode(() => decodeChannelData(fromHex('5000000100')))).toBe('channel_data_bad_channel');
    expect(parseCode(() => decodeChannelData(fromHex('3fff000100')))).toBe('channel_data_bad_channel');
    expect(parseCode(() => decodeChannelData(fromHex('40010004aabb')))).toBe('channel_data_truncated');
    expect(parseCode(() => decodeChannelData(fromHex('4001')))).toBe('channel_data_truncated');
    expect(() => encodeChannelData(0x3fff, new Uint8Array(1))).toThrow(RangeError);
  });
});

describe('StreamFramer', () => {
  const stun = encodeStunMessage({ class: 'indication', method: 7, transactionId: new Uint8Array(12), attributes: [] });
  const cd = encodeChannelData(0x4002, fromHex('0102030405'), { pad: true });
  const stream = new Uint8Array([...stun, ...cd, ...stun]);

  const describeFrames = (frames: StreamFrame[]): string[] =>
    frames.map((f) => (f.kind === 'stun' ? `stun:${f.bytes.byteLength}` : `cd:${f.channel}:${toHex(f.data)}`));

  it('splits coalesced frames', () => {
    const f = new StreamFramer();
    expect(describeFrames(f.push(stream))).toEqual(['stun:20', 'cd:16386:0102030405', 'stun:20']);
    expect(f.buffered).toBe(0);
  });

  it('reassembles frames split at every byte boundary', () => {
    for (let cut = 1; cut < stream.byteLength; cut++) {
      const f = new StreamFramer();
      const a = f.push(stream.subarray(0, cut));
      const b = f.push(stream.subarray(cut));
      expect(describeFrames([...a, ...b])).toEqual(['stun:20', 'cd:16386:0102030405', 'stun:20']);
    }
  });

  it('byte-by-byte delivery', () => {
    const f = new StreamFramer();
    const out: StreamFrame[] = [];
    for (const b of stream) out.push(...f.push(new Uint8Array([b])));
    expect(out).toHaveLength(3);
  });

  it('rejects out-of-sync streams and stays failed', () => {
    const f = new StreamFramer();
    expect(parseCode(() => f.push(fromHex('ff000000')))).toBe('stream_out_of_sync');
    expect(parseCode(() => f.push(stun))).toBe('stream_out_of_sync');
    expect(parseCode(() => new StreamFramer().push(fromHex('00010003')))).toBe('stream_bad_stun_length');
    expect(parseCode(() => new StreamFramer().push(fromHex('0001000000000000' + '00'.repeat(12))))).toBe(
      'stream_bad_cookie',
    );
    expect(parseCode(() => new StreamFramer().push(fromHex('50000000')))).toBe('stream_bad_channel');
    // A bad cookie is caught from the first 8 bytes, without waiting for the claimed length.
    expect(parseCode(() => new StreamFramer().push(fromHex('0001fff0deadbeef')))).toBe('stream_bad_cookie');
  });
});
