import { describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection } from '../src/index.js';

const config = { rtcwire: { addresses: ['127.0.0.1'], mdns: false } };

/** The a=<direction> and a=msid lines of each m= section of an SDP. */
function sections(sdp: string): { kind: string; direction: string | undefined; msid: string | undefined }[] {
  return sdp
    .split(/\r\nm=/)
    .slice(1)
    .map((m) => ({
      kind: m.split(' ')[0] as string,
      direction: /\r\na=(sendrecv|sendonly|recvonly|inactive)\r\n/.exec(m)?.[1],
      msid: /\r\na=msid:(\S+)/.exec(m)?.[1],
    }));
}

describe('addTrack (webrtc-pc §5.1)', () => {
  it("as answerer, reuses the transceiver the remote offer created, so the track goes out on the offer's m= line", async () => {
    const a = new RTCPeerConnection(config);
    const b = new RTCPeerConnection(config);
    try {
      a.addTransceiver('video', { direction: 'sendrecv' });
      a.addTransceiver('audio', { direction: 'recvonly' });
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      expect(b.getTransceivers()).toHaveLength(2);
      const video = new MediaStreamTrack({ kind: 'video' });
      const audio = new MediaStreamTrack({ kind: 'audio' });
      const videoSender = b.addTrack(video, { id: 'stream-1' });
      const audioSender = b.addTrack(audio, { id: 'stream-1' });
      // No new transceivers: the offered ones now send.
      expect(b.getTransceivers()).toHaveLength(2);
      expect(b.getTransceivers().map((t) => t.sender)).toEqual([videoSender, audioSender]);
      // W3C: a transceiver made by setRemoteDescription is recvonly; addTrack makes it sendrecv. The answer then
      // limits it by the offer (a offered recvonly audio, so b answers sendonly).
      expect(b.getTransceivers().map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv']);
      await b.setLocalDescription();
      expect(sections(b.localDescription!.sdp)).toEqual([
        { kind: 'video', direction: 'sendrecv', msid: 'stream-1' },
        { kind: 'audio', direction: 'sendonly', msid: 'stream-1' },
      ]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('adds a transceiver when none can be reused (a sender already has a track, or the kind differs)', async () => {
    const pc = new RTCPeerConnection(config);
    try {
      pc.addTrack(new MediaStreamTrack({ kind: 'video' }));
      pc.addTrack(new MediaStreamTrack({ kind: 'video' }));
      pc.addTrack(new MediaStreamTrack({ kind: 'audio' }));
      expect(pc.getTransceivers().map((t) => t.core.kind)).toEqual(['video', 'video', 'audio']);
    } finally {
      pc.close();
    }
  });
});
