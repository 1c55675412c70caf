import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeErrors, probe } from '@rtcwire/interop-ffmpeg';
import { type RecordingSummary, WhipServer } from '@rtcwire/server';
import { MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { afterAll, describe, expect, it } from 'vitest';
import { loadVp8Frames, loop } from '../../examples/shared/src/media.js';

// RFC 9725 §4.3.2: a WHIP publisher restarts ICE with a PATCH carrying new credentials; the server answers with
// its own new credentials and candidates (200 + sdpfrag + new ETag) and the recording carries on.
// The publisher here is rtcwire's own RTCPeerConnection.

const line = (sdp: string, prefix: string): string | undefined => sdp.split('\r\n').find((l) => l.startsWith(prefix));

describe('WHIP ICE restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtcwire-whip-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts ICE through PATCH without ending the recording', async () => {
    const ended = new Map<string, RecordingSummary>();
    const server = await WhipServer.start({
      port: 0,
      outDir: dir,
      addresses: ['127.0.0.1'],
      onSessionEnd: ({ id, summary }) => ended.set(id, summary),
    });
    const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
    let stop = (): void => {};
    try {
      const video = new MediaStreamTrack({ kind: 'video' });
      pc.addTransceiver(video, { direction: 'sendonly' });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      const post = await fetch(`${server.url}/whip`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp' },
        body: pc.localDescription!.sdp,
      });
      expect(post.status).toBe(201);
      const resource = new URL(post.headers.get('location') as string, server.url).toString();
      const firstAnswer = await post.text();
      await pc.setRemoteDescription({ type: 'answer', sdp: firstAnswer });
      await pc.waitForConnectionState('connected', 10_000);
      const vp8 = loadVp8Frames();
      stop = loop(video, 'VP8', vp8.frames, vp8.fps, 90_000);
      await new Promise((r) => setTimeout(r, 1500));

      pc.restartIce();
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      const offer = pc.localDescription!.sdp;
      const frag = [
        line(offer, 'a=ice-ufrag:'),
        line(offer, 'a=ice-pwd:'),
        line(offer, 'm='),
        'a=mid:0',
        ...offer.split('\r\n').filter((l) => l.startsWith('a=candidate:')),
        'a=end-of-candidates',
        '',
      ].join('\r\n');
      const patch = await fetch(resource, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' },
        body: frag,
      });
      expect(patch.status).toBe(200);
      expect(patch.headers.get('content-type')).toBe('application/trickle-ice-sdpfrag');
      expect(patch.headers.get('etag')).toBeTruthy();
      const reply = await patch.text();
      const newUfrag = line(reply, 'a=ice-ufrag:');
      expect(newUfrag).toBeDefined();
      expect(newUfrag).not.toBe(line(firstAnswer, 'a=ice-ufrag:'));
      // Apply the server's new credentials and candidates as our new remote answer.
      const answer = firstAnswer
        .replace(/a=ice-ufrag:[^\r\n]*/g, newUfrag as string)
        .replace(/a=ice-pwd:[^\r\n]*/g, line(reply, 'a=ice-pwd:') as string)
        .replace(/a=(candidate:[^\r\n]*|end-of-candidates)\r\n/g, '')
        .replace(
          /(a=mid:0\r\n)/,
          `$1${reply
            .split('\r\n')
            .filter((l) => l.startsWith('a=candidate:'))
            .map((l) => `${l}\r\n`)
            .join('')}`,
        );
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      await new Promise((r) => setTimeout(r, 2500));
      expect(pc.connectionState).toBe('connected');

      const del = await fetch(resource, { method: 'DELETE' });
      expect(del.status).toBe(200);
      const summary = ended.get(resource.split('/').pop() as string) as RecordingSummary;
      expect(decodeErrors(summary.file)).toBe('');
      const info = probe(summary.file);
      console.log(
        `after an ICE restart at ~1.5 s: ${info.durationS.toFixed(2)} s recorded`,
        JSON.stringify(summary.tracks),
      );
      expect(info.durationS).toBeGreaterThan(3);
    } finally {
      stop();
      pc.close();
      await server.close();
    }
  }, 40_000);
});
