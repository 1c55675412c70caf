import {
  type EncodedFrame,
  MediaStreamTrack,
  type RTCIceCandidateInit,
  RTCPeerConnection,
  type RTCSessionDescriptionInit,
} from 'rtcwire';
import { describe, expect, it } from 'vitest';
import { loadVp8Frames, loop } from '../../examples/shared/src/media.js';

// Two rtcwire RTCPeerConnections on loopback with "perfect negotiation"-style signalling: every offer is made
// from `onnegotiationneeded` (W3C webrtc-pc §4.7.3) and nothing else. a sends a video track; mid-call b adds
// one (the answerer becomes the offerer), then a adds a second: each change renegotiates by itself and its
// frames arrive. No glare is provoked (rtcwire has no rollback, so the polite side could not back off).

type Message = { description: RTCSessionDescriptionInit } | { candidate: RTCIceCandidateInit | null };

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return cond();
}

interface Side {
  pc: RTCPeerConnection;
  offers: number;
  /** Frames received per remote track id. */
  frames: Map<string, number>;
  deliver(m: Message): void;
}

function side(name: string): Side {
  const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'], mdns: false } });
  const s: Side = { pc, offers: 0, frames: new Map(), deliver: () => {} };
  pc.ontrack = (e) => {
    const key = `${name}:${e.transceiver.mid}`;
    e.track.addEventListener('frame', (ev) => {
      if ((ev as CustomEvent<EncodedFrame>).detail.codec === 'VP8') s.frames.set(key, (s.frames.get(key) ?? 0) + 1);
    });
  };
  return s;
}

/** The signalling channel: each side handles its messages one at a time, in order. */
function connect(x: Side, y: Side): void {
  for (const [self, peer] of [
    [x, y],
    [y, x],
  ] as const) {
    let inbox = Promise.resolve();
    self.deliver = (m) => {
      inbox = inbox.then(() => handle(self, peer, m));
    };
    self.pc.onnegotiationneeded = async () => {
      self.offers++;
      await self.pc.setLocalDescription();
      peer.deliver({ description: self.pc.localDescription!.toJSON() });
    };
    self.pc.onicecandidate = (e) => peer.deliver({ candidate: e.candidate?.toJSON() ?? null });
  }
}

async function handle(self: Side, peer: Side, m: Message): Promise<void> {
  if ('description' in m) {
    await self.pc.setRemoteDescription(m.description);
    if (m.description.type === 'offer') {
      await self.pc.setLocalDescription();
      peer.deliver({ description: self.pc.localDescription!.toJSON() });
    }
  } else {
    // A candidate may come before its description (gathered during setLocalDescription); the description
    // carries the candidates gathered so far, so such an early one is not needed.
    await self.pc.addIceCandidate(m.candidate).catch(() => {});
  }
}

describe('rtcwire ⇄ rtcwire negotiation driven by negotiationneeded', () => {
  it('adding tracks mid-call on either side renegotiates by itself and the tracks arrive', async () => {
    const a = side('a-from-b');
    const b = side('b-from-a');
    connect(a, b);
    const vp8 = loadVp8Frames();
    const stops: (() => void)[] = [];
    const total = (s: Side, key: string) => s.frames.get(key) ?? 0;
    try {
      const first = new MediaStreamTrack({ kind: 'video' });
      a.pc.addTrack(first);
      stops.push(loop(first, 'VP8', vp8.frames, vp8.fps, 90_000));
      await Promise.all([a.pc.waitForConnectionState('connected'), b.pc.waitForConnectionState('connected')]);
      expect(await until(() => total(b, 'b-from-a:0') > 20, 8000)).toBe(true);
      expect([a.offers, b.offers]).toEqual([1, 0]);

      // Mid-call, b adds a track: b offers, a answers, a receives it. As in browsers (webrtc-pc §5.1), b's
      // addTrack reuses the recvonly transceiver a's offer created, so it goes out on m-line 0 (now sendrecv).
      const back = new MediaStreamTrack({ kind: 'video' });
      b.pc.addTrack(back);
      stops.push(loop(back, 'VP8', vp8.frames, vp8.fps, 90_000));
      expect(await until(() => total(a, 'a-from-b:0') > 20, 8000)).toBe(true);
      expect(b.pc.getTransceivers()).toHaveLength(1);
      expect([a.offers, b.offers]).toEqual([1, 1]);

      // And a adds a second one: its only transceiver already sends, so this one is new (mid 1).
      const second = new MediaStreamTrack({ kind: 'video' });
      a.pc.addTrack(second);
      stops.push(loop(second, 'VP8', vp8.frames, vp8.fps, 90_000));
      expect(await until(() => total(b, 'b-from-a:1') > 20, 8000)).toBe(true);
      expect(a.pc.signalingState).toBe('stable');
      expect(b.pc.signalingState).toBe('stable');
      // Each change took exactly one negotiation; nothing is left pending (no renegotiation loop).
      await new Promise((r) => setTimeout(r, 300));
      expect([a.offers, b.offers]).toEqual([2, 1]);
      expect(total(b, 'b-from-a:0')).toBeGreaterThan(20);
      expect(a.pc.connectionState).toBe('connected');
      console.log('negotiationneeded-driven frames:', JSON.stringify([...a.frames, ...b.frames]));
    } finally {
      for (const s of stops) s();
      a.pc.close();
      b.pc.close();
    }
  }, 60_000);
});
