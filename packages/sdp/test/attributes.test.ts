import { ParseError } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  formatExtmap,
  formatFmtp,
  formatRid,
  formatSimulcast,
  parseExtmap,
  parseFingerprint,
  parseFmtp,
  parseGroup,
  parseMsid,
  parseRid,
  parseRtcpFb,
  parseRtpmap,
  parseSetup,
  parseSimulcast,
  parseSsrc,
  parseSsrcGroup,
} from '../src/index.js';

describe('attribute codecs', () => {
  it('rtpmap', () => {
    expect(parseRtpmap('111 opus/48000/2')).toEqual({
      payloadType: 111,
      encoding: 'opus',
      clockRate: 48000,
      channels: 2,
    });
    expect(parseRtpmap('96 VP8/90000')).toEqual({ payloadType: 96, encoding: 'VP8', clockRate: 90000 });
    expect(() => parseRtpmap('200 VP8/90000')).toThrow(ParseError);
    expect(() => parseRtpmap('96 VP8')).toThrow(ParseError);
  });

  it('fmtp keeps parameter order and raw forms', () => {
    const f = parseFmtp('102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f');
    expect([...f.parameters.keys()]).toEqual(['level-asymmetry-allowed', 'packetization-mode', 'profile-level-id']);
    expect(formatFmtp(f)).toBe('102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f');
    const red = parseFmtp('63 111/111');
    expect(red.raw).toBe('111/111');
    expect(formatFmtp(red)).toBe('63 111/111');
    expect(() => parseFmtp('102')).toThrow(ParseError);
  });

  it('rtcp-fb with wildcard and parameter', () => {
    expect(parseRtcpFb('96 nack pli')).toEqual({ payloadType: 96, type: 'nack', parameter: 'pli' });
    expect(parseRtcpFb('* transport-cc')).toEqual({ payloadType: '*', type: 'transport-cc' });
    expect(() => parseRtcpFb('x nack')).toThrow(ParseError);
  });

  it('extmap with direction and attributes', () => {
    const e = parseExtmap('7/sendonly urn:ietf:params:rtp-hdrext:encrypt urn:x 1');
    expect(e).toEqual({
      id: 7,
      direction: 'sendonly',
      uri: 'urn:ietf:params:rtp-hdrext:encrypt',
      attributes: 'urn:x 1',
    });
    expect(formatExtmap(e)).toBe('7/sendonly urn:ietf:params:rtp-hdrext:encrypt urn:x 1');
    expect(() => parseExtmap('7/sideways urn:x')).toThrow(ParseError);
    expect(() => parseExtmap('300 urn:x')).toThrow(ParseError);
  });

  it('ssrc, ssrc-group, group, msid, setup, fingerprint', () => {
    expect(parseSsrc('1234 cname:abc:def')).toEqual({ ssrc: 1234, attribute: 'cname', value: 'abc:def' });
    expect(parseSsrcGroup('FID 1 2')).toEqual({ semantics: 'FID', ssrcs: [1, 2] });
    expect(() => parseSsrcGroup('FID')).toThrow(ParseError);
    expect(parseGroup('BUNDLE 0 1 2')).toEqual({ semantics: 'BUNDLE', mids: ['0', '1', '2'] });
    expect(parseMsid('s t')).toEqual({ streamId: 's', trackId: 't' });
    expect(parseSetup('passive')).toBe('passive');
    expect(() => parseSetup('both')).toThrow(ParseError);
    expect(parseFingerprint('SHA-256 ab:cd:ef')).toEqual({ algorithm: 'sha-256', value: 'AB:CD:EF' });
    expect(() => parseFingerprint('sha-256 xyz')).toThrow(ParseError);
  });

  it('rid and simulcast (RFC 8851, RFC 8853)', () => {
    const r = parseRid('hi send pt=96,97;max-width=1280;max-height=720');
    expect(r.payloadTypes).toEqual([96, 97]);
    expect(r.restrictions.get('max-width')).toBe('1280');
    expect(formatRid(r)).toBe('hi send pt=96,97;max-width=1280;max-height=720');
    const s = parseSimulcast('send hi;~mid,lo recv r0');
    expect(s.send).toEqual([
      [{ rid: 'hi', paused: false }],
      [
        { rid: 'mid', paused: true },
        { rid: 'lo', paused: false },
      ],
    ]);
    expect(formatSimulcast(s)).toBe('send hi;~mid,lo recv r0');
    expect(() => parseSimulcast('send')).toThrow(ParseError);
    expect(() => parseSimulcast('send a send b')).toThrow(ParseError);
  });
});
