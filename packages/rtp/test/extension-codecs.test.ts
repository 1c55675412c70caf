import { fromHex, InvalidArgumentError, ParseError, toHex } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  absCaptureTimeExtension,
  absSendTimeExtension,
  absSendTimeFromMs,
  absSendTimeToMs,
  audioLevelExtension,
  BUILTIN_EXTENSION_CODECS,
  decodeRtpPacket,
  ExtensionMap,
  encodeRtpPacket,
  midExtension,
  playoutDelayExtension,
  readRtpHeader,
  repairedRidExtension,
  ridExtension,
  transportWideCcExtension,
  videoOrientationExtension,
} from '../src/index.js';

describe('extension codecs (golden bytes from each spec layout)', () => {
  it('sdes mid / rid / repaired-rid are UTF-8 text; trailing NULs are dropped', () => {
    expect(toHex(midExtension.encode('0'))).toBe('30');
    expect(ridExtension.decode(fromHex('6869'))).toBe('hi');
    expect(repairedRidExtension.decode(fromHex('720000'))).toBe('r');
    expect(() => midExtension.encode('x'.repeat(256))).toThrow(InvalidArgumentError);
  });

  it('abs-send-time is 6.18 fixed-point seconds', () => {
    // 1.5 s = 1.5 * 2^18 = 0x060000
    expect(absSendTimeFromMs(1500)).toBe(0x060000);
    expect(toHex(absSendTimeExtension.encode(0x060000))).toBe('060000');
    expect(absSendTimeExtension.decode(fromHex('060000'))).toBe(0x060000);
    expect(absSendTimeToMs(0x060000)).toBe(1500);
    // wraps every 64 s
    expect(absSendTimeFromMs(64_000 + 1500)).toBe(0x060000);
    expect(() => absSendTimeExtension.encode(1 << 24)).toThrow(InvalidArgumentError);
    expect(() => absSendTimeExtension.decode(fromHex('0600'))).toThrow(ParseError);
  });

  it('transport-wide-cc carries a 16-bit sequence', () => {
    expect(toHex(transportWideCcExtension.encode(0xbeef))).toBe('beef');
    expect(transportWideCcExtension.decode(fromHex('beef'))).toBe(0xbeef);
    expect(() => transportWideCcExtension.decode(fromHex('be'))).toThrow(ParseError);
  });

  it('ssrc-audio-level (RFC 6464 §3): V bit + level', () => {
    expect(audioLevelExtension.decode(fromHex('9e'))).toEqual({ voiceActivity: true, level: 30 });
    expect(toHex(audioLevelExtension.encode({ voiceActivity: false, level: 127 }))).toBe('7f');
    expect(() => audioLevelExtension.encode({ voiceActivity: false, level: 128 })).toThrow(InvalidArgumentError);
  });

  it('video-orientation (3GPP TS 26.114): C F R1 R0', () => {
    expect(videoOrientationExtension.decode(fromHex('0d'))).toEqual({ backCamera: true, flip: true, rotation: 90 });
    expect(toHex(videoOrientationExtension.encode({ backCamera: false, flip: false, rotation: 270 }))).toBe('03');
  });

  it('playout-delay: two 12-bit values in 10 ms units', () => {
    // min 100 ms = 10 = 0x00a, max 2000 ms = 200 = 0x0c8 -> 00a 0c8
    expect(toHex(playoutDelayExtension.encode({ minDelayMs: 100, maxDelayMs: 2000 }))).toBe('00a0c8');
    expect(playoutDelayExtension.decode(fromHex('fff000'))).toEqual({ minDelayMs: 40950, maxDelayMs: 0 });
    expect(() => playoutDelayExtension.encode({ minDelayMs: 5, maxDelayMs: 10 })).toThrow(InvalidArgumentError);
  });

  it('abs-capture-time: UQ32.32 timestamp and optional Q32.32 offset', () => {
    const short = absCaptureTimeExtension.encode({ absoluteCaptureTimestamp: 0x0102030405060708n });
    expect(toHex(short)).toBe('0102030405060708');
    expect(absCaptureTimeExtension.decode(short)).toEqual({ absoluteCaptureTimestamp: 0x0102030405060708n });
    const long = absCaptureTimeExtension.encode({ absoluteCaptureTimestamp: 1n, estimatedCaptureClockOffset: -1n });
    expect(toHex(long)).toBe('0000000000000001ffffffffffffffff');
    expect(absCaptureTimeExtension.decode(long)).toEqual({
      absoluteCaptureTimestamp: 1n,
      estimatedCaptureClockOffset: -1n,
    });
  });

  it('lists every built-in codec by URI', () => {
    expect(BUILTIN_EXTENSION_CODECS.size).toBe(9);
    expect(BUILTIN_EXTENSION_CODECS.get('urn:ietf:params:rtp-hdrext:sdes:mid')).toBe(midExtension);
  });
});

describe('ExtensionMap', () => {
  const map = new ExtensionMap(
    new Map([
      [1, audioLevelExtension.uri],
      [3, transportWideCcExtension.uri],
      [4, midExtension.uri],
    ]),
  );

  it('reads typed values from decoded packets and raw bytes', () => {
    const bytes = fromHex('90ef1234deadbeef12345678bede0002108531002a000000aabbcc');
    const packet = decodeRtpPacket(bytes);
    expect(map.get(packet, audioLevelExtension)).toEqual({ voiceActivity: true, level: 5 });
    expect(map.get(packet, transportWideCcExtension)).toBe(42);
    expect(map.get(packet, midExtension)).toBeUndefined();
    expect(map.get(packet, ridExtension)).toBeUndefined();
    expect(map.read(bytes, readRtpHeader(bytes), transportWideCcExtension)).toBe(42);
    expect(map.read(bytes, readRtpHeader(bytes), ridExtension)).toBeUndefined();
  });

  it('rewrites a value in place when the length matches', () => {
    const bytes = fromHex('90ef1234deadbeef12345678bede0002108531002a000000aabbcc');
    const header = readRtpHeader(bytes);
    expect(map.rewrite(bytes, header, transportWideCcExtension, 0xbeef)).toBe(true);
    expect(toHex(bytes)).toBe('90ef1234deadbeef12345678bede00021085' + '31beef' + '000000aabbcc');
    expect(map.rewrite(bytes, header, midExtension, 'x')).toBe(false); // negotiated, not present
    expect(map.rewrite(bytes, header, ridExtension, 'x')).toBe(false); // not negotiated
    const other = new ExtensionMap(new Map([[3, midExtension.uri]]));
    expect(other.rewrite(bytes, header, midExtension, 'abc')).toBe(false); // length 2 != 3
    expect(toHex(bytes.subarray(18, 21))).toBe('31beef');
  });

  it('builds elements with negotiated ids', () => {
    const packet = {
      marker: false,
      payloadType: 96,
      sequenceNumber: 0,
      timestamp: 0,
      ssrc: 1,
      csrcs: [],
      extensions: [map.element(midExtension, 'video'), map.element(transportWideCcExtension, 7)],
      payload: new Uint8Array(0),
      paddingLength: 0,
    };
    const decoded = decodeRtpPacket(encodeRtpPacket(packet));
    expect(map.get(decoded, midExtension)).toBe('video');
    expect(map.idOf(midExtension.uri)).toBe(4);
    expect(map.uriOf(3)).toBe(transportWideCcExtension.uri);
    expect(() => map.element(ridExtension, 'h')).toThrow(InvalidArgumentError);
  });

  it('rejects invalid maps', () => {
    expect(() => new ExtensionMap(new Map([[0, 'x']]))).toThrow(InvalidArgumentError);
    expect(
      () =>
        new ExtensionMap(
          new Map([
            [1, 'x'],
            [2, 'x'],
          ]),
        ),
    ).toThrow(InvalidArgumentError);
  });
});
