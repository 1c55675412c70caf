import * as rtcwire from 'rtcwire';
import { describe, expect, it } from 'vitest';

describe('rtcwire package', () => {
  it('exports the browser-shaped API and certificate helpers', () => {
    for (const name of [
      'RTCPeerConnection',
      'RTCSessionDescription',
      'RTCIceCandidate',
      'RTCPeerConnectionIceEvent',
      'RTCTrackEvent',
      'RTCRtpSender',
      'RTCRtpReceiver',
      'RTCRtpTransceiver',
      'MediaStreamTrack',
      'generateCertificate',
      'loadPemCredential',
      'fingerprintOf',
      'formatFingerprint',
    ])
      expect(typeof (rtcwire as Record<string, unknown>)[name], name).toBe('function');
  });

  it('creates an offer with a given certificate', async () => {
    const certificate = await rtcwire.generateCertificate({ now: new Date() });
    const pc = new rtcwire.RTCPeerConnection({ certificates: [certificate], rtcwire: { addresses: ['127.0.0.1'] } });
    try {
      await pc.whenReady();
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      const offer = await pc.createOffer();
      expect(offer.type).toBe('offer');
      expect(offer.sdp).toMatch(/^m=video 9 UDP\/TLS\/RTP\/SAVPF /m);
      expect(offer.sdp).toMatch(/^a=group:BUNDLE 0 1\r$/m);
      expect(offer.sdp).toMatch(/^a=setup:actpass\r$/m);
      // The fingerprint in the offer is the given certificate's.
      const fp = /^a=fingerprint:(.+)\r$/m.exec(offer.sdp);
      expect(fp?.[1]).toBe(certificate.fingerprint('sha-256'));
    } finally {
      pc.close();
    }
  });
});
