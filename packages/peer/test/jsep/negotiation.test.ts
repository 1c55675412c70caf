import { bundleMids, mediaCodecs, mediaDirection, parseSdp, writeSdp } from '@rtcwire/sdp';
import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  answerSection,
  buildDescription,
  codecMatches,
  DEFAULT_VIDEO_CODECS,
  negotiateCodecs,
  offerSection,
  parseProfileLevelId,
} from '../../src/index.js';
import { caps, chromeOffer, transport } from './fixtures.js';

const sender = { ssrc: 1111, rtxSsrc: 2222, cname: 'rtcwire', streamIds: ['s'], trackId: 't' };

describe('H.264 profile-level-id (RFC 6184 §8.1)', () => {
  it.each([
    ['42e01f', 'constrained-baseline', 0x1f],
    ['42c01f', 'constrained-baseline', 0x1f],
    ['42001f', 'baseline', 0x1f],
    ['4d001f', 'main', 0x1f],
    ['f4001f', undefined, 0],
    ['640c1f', 'constrained-high', 0x1f],
    ['640032', 'high', 0x32],
  ])('%s → %s', (id, profile, level) => {
    const p = parseProfileLevelId(id);
    if (profile === undefined) expect(p).toBeUndefined();
    else expect(p).toEqual({ profile, level });
  });
  it('defaults to 42000a and rejects junk', () => {
    expect(parseProfileLevelId(undefined)).toEqual({ profile: 'baseline', level: 10 });
    expect(parseProfileLevelId('xyz')).toBeUndefined();
  });
});

describe('direction (RFC 9429 §5.3.1)', () => {
  it.each([
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendrecv', 'recvonly', 'recvonly'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['sendonly', 'sendonly', 'inactive'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['recvonly', 'recvonly', 'inactive'],
    ['inactive', 'sendrecv', 'inactive'],
  ] as const)('offer %s with our %s → %s', (offered, ours, answer) => {
    expect(answerDirection(offered, ours)).toBe(answer);
  });
});

describe('codec negotiation against a Chrome offer', () => {
  const offer = chromeOffer('chrome-156-offer');
  const video = offer.media[1]!;

  it('keeps only the H.264 variants whose profile and packetization-mode we support', () => {
    const result = negotiateCodecs(mediaCodecs(video), DEFAULT_VIDEO_CODECS);
    const h264 = result.filter((c) => c.name === 'H264');
    expect(h264.map((c) => [c.parameters.get('profile-level-id'), c.parameters.get('packetization-mode')])).toEqual([
      ['42001f', '1'],
      ['42e01f', '1'],
    ]);
    expect(result.map((c) => c.name)).toEqual(['VP8', 'H264', 'H264', 'AV1', 'VP9']); // the offerer's order
    for (const c of result) expect(c.rtxPayloadType).toBeDefined();
    // RTX partners are the offerer's (apt points back at the codec).
    const offered = mediaCodecs(video);
    for (const c of result) {
      expect(offered.find((o) => o.payloadType === c.rtxPayloadType)?.parameters.get('apt')).toBe(
        String(c.payloadType),
      );
    }
  });

  it('matches VP9 by profile-id and AV1 by profile', () => {
    const vp9p2 = {
      payloadType: 100,
      name: 'VP9',
      clockRate: 90000,
      parameters: new Map([['profile-id', '2']]),
      feedback: [],
    };
    expect(codecMatches(DEFAULT_VIDEO_CODECS[1]!, vp9p2)).toBe(false);
    expect(codecMatches(DEFAULT_VIDEO_CODECS[1]!, { ...vp9p2, parameters: new Map() })).toBe(true);
    const av1p1 = {
      payloadType: 45,
      name: 'AV1',
      clockRate: 90000,
      parameters: new Map([['profile', '1']]),
      feedback: [],
    };
    expect(codecMatches(DEFAULT_VIDEO_CODECS[4]!, av1p1)).toBe(false);
  });

  it('answers audio with Opus only and intersects feedback and extensions', () => {
    const a = answerSection({ offered: offer.media[0]!, transceiverDirection: 'recvonly' }, offer, caps);
    expect(a.rejected).toBe(false);
    expect(a.codecs.map((c) => c.name)).toEqual(['opus']);
    expect(a.codecs[0]?.feedback).toEqual([{ type: 'transport-cc' }]);
    expect(a.direction).toBe('recvonly');
    expect(a.extensions.map((e) => e.id)).toEqual([1, 2, 3, 4]);
  });
});

describe('answers and offers as SDP', () => {
  it('rejects an unsupported section and removes it from BUNDLE', () => {
    const text =
      writeSdp(chromeOffer('chrome-156-offer')).replace(/a=group:BUNDLE 0 1/, 'a=group:BUNDLE 0 1 2') +
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n';
    const offer = parseSdp(text);
    const sections = offer.media.map((m) =>
      answerSection({ offered: m, transceiverDirection: 'recvonly' }, offer, caps),
    );
    expect(sections.map((s) => s.rejectReason)).toEqual([undefined, undefined, 'unsupported-kind']);
    const answer = buildDescription({ sessionId: '1', sessionVersion: 1, sections, transport });
    expect(bundleMids(answer)).toEqual(['0', '1']);
    const rejected = answer.media[2]!;
    expect(rejected.port).toBe(0);
    expect(rejected.formats).toEqual(['webrtc-datachannel']);
    expect(mediaDirection(answer.media[1]!)).toBe('recvonly');
    // The written answer parses back with the same negotiated codecs.
    expect(
      mediaCodecs(parseSdp(writeSdp(answer)).media[1]!)
        .filter((c) => c.name !== 'rtx')
        .map((c) => c.payloadType),
    ).toEqual([96, 102, 108, 45, 98]);
  });

  it('writes a sending section with ssrc-group FID, msid and RTX', () => {
    const offer = chromeOffer('chrome-156-recvonly-offer');
    const video = answerSection({ offered: offer.media[1]!, transceiverDirection: 'sendrecv', sender }, offer, caps);
    expect(video.direction).toBe('sendonly');
    const sdp = writeSdp(buildDescription({ sessionId: '1', sessionVersion: 1, sections: [video], transport }));
    expect(sdp).toContain('a=ssrc-group:FID 1111 2222\r\n');
    expect(sdp).toContain('a=msid:s t\r\n');
    expect(sdp).toContain('a=setup:passive\r\n');
    expect(sdp).toContain('a=end-of-candidates\r\n');
  });

  it('announces no RTX SSRC for audio, which has no RTX codec', () => {
    const offer = chromeOffer('chrome-156-recvonly-offer');
    const audio = answerSection({ offered: offer.media[0]!, transceiverDirection: 'sendrecv', sender }, offer, caps);
    const sdp = writeSdp(buildDescription({ sessionId: '1', sessionVersion: 1, sections: [audio], transport }));
    expect(sdp).not.toContain('ssrc-group');
    expect(sdp).not.toContain('a=ssrc:2222');
    expect(sdp).toContain('a=ssrc:1111 cname:rtcwire\r\n');
  });

  it('offers every capability with our payload types, RTX partners and extension ids', () => {
    const section = offerSection(
      { mid: '0', kind: 'video', direction: 'sendrecv', sender },
      DEFAULT_VIDEO_CODECS,
      caps.extensions,
    );
    const sdp = parseSdp(
      writeSdp(
        buildDescription({
          sessionId: '9',
          sessionVersion: 2,
          sections: [section],
          transport: { ...transport, setup: 'actpass' },
        }),
      ),
    );
    const codecs = mediaCodecs(sdp.media[0]!);
    expect(codecs.map((c) => `${c.payloadType}/${c.name}`)).toEqual([
      '96/VP8',
      '97/rtx',
      '98/VP9',
      '99/rtx',
      '102/H264',
      '103/rtx',
      '104/H264',
      '105/rtx',
      '45/AV1',
      '46/rtx',
    ]);
  });
});
