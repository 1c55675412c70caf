import { readFileSync } from 'node:fs';
import { ParseError } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import {
  bundleMids,
  fingerprints,
  iceParameters,
  isRejected,
  mediaCandidates,
  mediaCodecs,
  mediaDirection,
  mediaExtensions,
  mediaMid,
  mediaMsids,
  mediaSsrcGroups,
  mediaSsrcs,
  parseSdp,
  setMediaDirection,
  setupRole,
  writeSdp,
} from '../src/index.js';

// Captured from Chromium 156 on this machine through @rtcwire/interop-chrome (createOffer with the fake
// camera and microphone, and a recvonly-only offer).
const chromeOffer = readFileSync(new URL('./fixtures/chrome-156-offer.sdp', import.meta.url), 'utf8');
const chromeRecvOnly = readFileSync(new URL('./fixtures/chrome-156-recvonly-offer.sdp', import.meta.url), 'utf8');

describe('parseSdp / writeSdp', () => {
  it('round-trips Chrome offers byte-exact', () => {
    expect(writeSdp(parseSdp(chromeOffer))).toBe(chromeOffer);
    expect(writeSdp(parseSdp(chromeRecvOnly))).toBe(chromeRecvOnly);
  });

  it('reads the session and media structure of a Chrome offer', () => {
    const sdp = parseSdp(chromeOffer);
    expect(sdp.origin.sessionVersion).toBe('2');
    expect(bundleMids(sdp)).toEqual(['0', '1']);
    expect(sdp.media.map((m) => m.kind)).toEqual(['audio', 'video']);
    const [audio, video] = sdp.media as [(typeof sdp.media)[0], (typeof sdp.media)[0]];
    expect(mediaMid(audio)).toBe('0');
    expect(mediaDirection(audio, sdp)).toBe('sendrecv');
    expect(audio.protocol).toBe('UDP/TLS/RTP/SAVPF');
    const opus = mediaCodecs(audio)[0];
    expect(opus).toMatchObject({ payloadType: 111, name: 'opus', clockRate: 48000, channels: 2 });
    expect(opus?.parameters.get('useinbandfec')).toBe('1');
    expect(opus?.feedback).toContainEqual({ type: 'transport-cc' });
    const vp8 = mediaCodecs(video).find((c) => c.name === 'VP8');
    expect(vp8?.feedback).toEqual(
      expect.arrayContaining([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]),
    );
    const rtx = mediaCodecs(video).find(
      (c) => c.name === 'rtx' && c.parameters.get('apt') === String(vp8?.payloadType),
    );
    expect(rtx).toBeDefined();
    const h264 = mediaCodecs(video).filter((c) => c.name === 'H264');
    expect(
      h264.some(
        (c) => c.parameters.get('profile-level-id') === '42e01f' && c.parameters.get('packetization-mode') === '1',
      ),
    ).toBe(true);
    expect(mediaExtensions(audio).map((e) => e.uri)).toContain('urn:ietf:params:rtp-hdrext:sdes:mid');
    expect(iceParameters(video, sdp)).toMatchObject({ options: ['trickle'], lite: false });
    expect(fingerprints(video, sdp)[0]?.algorithm).toBe('sha-256');
    expect(setupRole(video, sdp)).toBe('actpass');
    expect(mediaCandidates(audio).length).toBeGreaterThan(0);
    expect(mediaMsids(video)).toHaveLength(1);
    const ssrcs = mediaSsrcs(video);
    expect(ssrcs.length).toBeGreaterThanOrEqual(2);
    expect(ssrcs[0]?.attributes.get('cname')).toBeTruthy();
    expect(mediaSsrcGroups(video)[0]?.semantics).toBe('FID');
    expect(isRejected(video)).toBe(false);
  });

  it('reads a recvonly offer', () => {
    const sdp = parseSdp(chromeRecvOnly);
    expect(sdp.media.map((m) => mediaDirection(m, sdp))).toEqual(['recvonly', 'recvonly']);
    expect(mediaSsrcs(sdp.media[1]!)).toEqual([]);
  });

  it('keeps unknown lines and attributes in place', () => {
    const text =
      'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nb=AS:300\r\nt=0 0\r\na=x-custom:1 2 3\r\n' +
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\nb=TIAS:1000\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n';
    const sdp = parseSdp(text);
    expect(writeSdp(sdp)).toBe(text);
    expect(sdp.media[0]?.formats).toEqual(['webrtc-datachannel']);
  });

  it('accepts LF line ends and writes CRLF', () => {
    const sdp = parseSdp('v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 0 RTP/AVP 0\n');
    expect(isRejected(sdp.media[0]!)).toBe(true);
    expect(mediaCodecs(sdp.media[0]!)[0]).toMatchObject({ name: 'PCMU', clockRate: 8000 });
    expect(writeSdp(sdp)).toBe('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n');
  });

  it('edits directions in place', () => {
    const sdp = parseSdp(chromeOffer);
    const video = sdp.media[1]!;
    setMediaDirection(video, 'recvonly');
    expect(mediaDirection(parseSdp(writeSdp(sdp)).media[1]!)).toBe('recvonly');
  });

  it.each([
    ['', 'sdp_no_version'],
    ['hello', 'sdp_bad_line'],
    ['o=- 1 1 IN IP4 0.0.0.0\r\n', 'sdp_no_version'],
    ['v=1\r\n', 'sdp_bad_version'],
    ['v=0\r\ns=-\r\n', 'sdp_no_origin'],
    ['v=0\r\no=- 1 IN IP4 x\r\n', 'sdp_bad_origin'],
    ['v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio x RTP/AVP 0\r\n', 'sdp_bad_media'],
    ['v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio\r\n', 'sdp_bad_media'],
    ['v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nc=IN IP4\r\n', 'sdp_bad_connection'],
  ])('rejects %j with %s', (text, code) => {
    try {
      parseSdp(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).code).toBe(code);
    }
  });
});
