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

  it('accepts addTrack and addTransceiver right after construction, as browsers do', async () => {
    const pc = new rtcwire.RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    try {
      const track = new rtcwire.MediaStreamTrack({ kind: 'video' });
      const sender = pc.addTrack(track, { id: 'stream-1' });
      const audio = pc.addTransceiver('audio', { direction: 'recvonly' });
      expect(sender.track).toBe(track);
      expect(pc.getTransceivers().map((t) => [t.kind, t.direction, t.mid])).toEqual([
        ['video', 'sendrecv', null],
        ['audio', 'recvonly', null],
      ]);
      audio.direction = 'inactive'; // changed before the engine exists: carried over
      const offer = await pc.createOffer();
      expect(offer.sdp).toMatch(/m=video[\s\S]*a=sendrecv[\s\S]*a=msid:stream-1 [\s\S]*m=audio[\s\S]*a=inactive/);
      await pc.setLocalDescription(offer);
      expect(pc.getTransceivers().map((t) => t.mid)).toEqual(['0', '1']);
      expect(pc.getSenders()[0]).toBe(sender);
    } finally {
      pc.close();
    }
  });

  it('close() before the connection is ready releases its sockets', async () => {
    const pc = new rtcwire.RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    pc.addTransceiver('video');
    pc.close();
    await pc.whenReady();
    expect(pc.connectionState).toBe('closed');
    await expect(pc.createOffer()).rejects.toThrow(/closed/);
  });
});
