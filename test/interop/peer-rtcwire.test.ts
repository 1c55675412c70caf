import { type EncodedFrame, MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { describe, expect, it } from 'vitest';
import { loadOpusPackets, loadVp8Frames, loop } from '../../examples/shared/src/media.js';

// Issue 5 acceptance: two rtcwire RTCPeerConnections on loopback exchange media both ways (trickle ICE,
// each side sending VP8 + Opus), and their getStats reports use the W3C names with RTCP flowing.

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('rtcwire ⇄ rtcwire on loopback', () => {
  it('exchanges VP8 and Opus both ways with trickled candidates; getStats and RTCP SR/RR look right', async () => {
    const config = { rtcwire: { addresses: ['127.0.0.1'] } };
    const a = new RTCPeerConnection(config);
    const b = new RTCPeerConnection(config);
    const vp8 = loadVp8Frames();
    const opus = loadOpusPackets();
    const stops: (() => void)[] = [];
    const got = { a: { VP8: 0, OPUS: 0, bad: 0 }, b: { VP8: 0, OPUS: 0, bad: 0 } };
    const count = (side: 'a' | 'b') => (e: { track: MediaStreamTrack }) => {
      e.track.addEventListener('frame', (ev) => {
        const f = (ev as CustomEvent<EncodedFrame>).detail;
        if (f.codec === 'VP8' || f.codec === 'OPUS') got[side][f.codec]++;
      });
      e.track.addEventListener('incomplete-frame', () => got[side].bad++);
    };
    a.ontrack = count('a');
    b.ontrack = count('b');
    // Trickle: each candidate goes straight to the other side.
    a.onicecandidate = (e) => void b.addIceCandidate(e.candidate).catch(() => {});
    b.onicecandidate = (e) => void a.addIceCandidate(e.candidate).catch(() => {});
    try {
      await Promise.all([a.whenReady(), b.whenReady()]);
      const tracks = {
        aVideo: new MediaStreamTrack({ kind: 'video' }),
        aAudio: new MediaStreamTrack({ kind: 'audio' }),
        bVideo: new MediaStreamTrack({ kind: 'video' }),
        bAudio: new MediaStreamTrack({ kind: 'audio' }),
      };
      a.addTrack(tracks.aVideo);
      a.addTrack(tracks.aAudio);
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      // b answers with its own tracks on the transceivers a's offer created.
      for (const t of b.getTransceivers())
        await t.sender.replaceTrack(t.kind === 'video' ? tracks.bVideo : tracks.bAudio);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription!);
      await Promise.all([a.waitForConnectionState('connected', 10_000), b.waitForConnectionState('connected', 10_000)]);
      stops.push(loop(tracks.aVideo, 'VP8', vp8.frames, vp8.fps, 90_000));
      stops.push(loop(tracks.aAudio, 'OPUS', opus, 50, 48_000));
      stops.push(loop(tracks.bVideo, 'VP8', vp8.frames, vp8.fps, 90_000));
      stops.push(loop(tracks.bAudio, 'OPUS', opus, 50, 48_000));
      // Long enough for the first RTCP reports (SR from each sender, RR for each received stream).
      await until(() => got.a.VP8 >= 60 && got.b.VP8 >= 60, 6000);
      await new Promise((r) => setTimeout(r, 1500));
      console.log('rtcwire ⇄ rtcwire frames:', JSON.stringify(got));
      for (const side of [got.a, got.b]) {
        expect(side.VP8).toBeGreaterThanOrEqual(60);
        expect(side.OPUS).toBeGreaterThanOrEqual(60);
        expect(side.bad).toBe(0);
      }

      const stats = [...(await a.getStats()).values()];
      const types = new Set(stats.map((s) => s.type));
      console.log('getStats types:', [...types].sort().join(', '));
      for (const t of ['transport', 'candidate-pair', 'local-candidate', 'remote-candidate', 'certificate', 'codec'])
        expect(types).toContain(t);
      const inbound = stats.filter((s) => s.type === 'inbound-rtp');
      const outbound = stats.filter((s) => s.type === 'outbound-rtp');
      expect(inbound.map((s) => s.kind).sort()).toEqual(['audio', 'video']);
      expect(outbound.map((s) => s.kind).sort()).toEqual(['audio', 'video']);
      for (const s of inbound) {
        expect(Number(s.packetsReceived)).toBeGreaterThan(0);
        expect(Number(s.bytesReceived)).toBeGreaterThan(0);
        expect(typeof s.ssrc).toBe('number');
        expect(stats.find((c) => c.id === s.codecId)?.type).toBe('codec');
      }
      for (const s of outbound) {
        expect(Number(s.packetsSent)).toBeGreaterThan(0);
        expect(Number(s.bytesSent)).toBeGreaterThan(0);
      }
      const transport = stats.find((s) => s.type === 'transport');
      expect(transport?.dtlsState).toBe('connected');
      expect(String(transport?.srtpCipher)).toMatch(/GCM/);
      expect(stats.find((s) => s.id === transport?.selectedCandidatePairId)?.type).toBe('candidate-pair');
      // RTCP: the peer's receiver reports about our streams arrive as remote-inbound-rtp.
      const remoteInbound = stats.filter((s) => s.type === 'remote-inbound-rtp');
      console.log('remote-inbound-rtp:', JSON.stringify(remoteInbound));
      expect(remoteInbound.map((s) => s.kind).sort()).toEqual(['audio', 'video']);
      for (const s of remoteInbound) {
        expect(stats.find((o) => o.id === s.localId)?.type).toBe('outbound-rtp');
        // Our SRs were echoed (LSR/DLSR), so a round-trip time was measured.
        expect(Number(s.roundTripTimeMeasurements)).toBeGreaterThan(0);
        expect(Number(s.roundTripTime)).toBeGreaterThanOrEqual(0);
      }
    } finally {
      for (const s of stops) s();
      a.close();
      b.close();
    }
  }, 30_000);
});
