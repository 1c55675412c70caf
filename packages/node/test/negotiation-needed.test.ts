import { describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection } from '../src/index.js';

// W3C webrtc-pc §4.7.3 "update the negotiation-needed flag" on the RTCPeerConnection facade: queued, coalesced,
// only in `stable`, cleared by the negotiation that satisfies it, fired again on returning to stable when
// something changed meanwhile, never after close().

const config = { rtcwire: { addresses: ['127.0.0.1'], mdns: false } };

/** Counts `negotiationneeded` through both the handler and a listener (they must agree). */
function counter(pc: RTCPeerConnection): { handler: number; listener: number } {
  const c = { handler: 0, listener: 0 };
  pc.onnegotiationneeded = () => {
    c.handler++;
  };
  pc.addEventListener('negotiationneeded', () => {
    c.listener++;
  });
  return c;
}

/**
 * Let every queued check run: checks are queued (a 0 ms timer) once the connection is ready, so a later timer
 * runs after them.
 */
async function settle(...pcs: RTCPeerConnection[]): Promise<void> {
  for (const pc of pcs) await pc.whenReady();
  await new Promise((r) => setTimeout(r, 20));
}

async function offerAnswer(a: RTCPeerConnection, b: RTCPeerConnection): Promise<void> {
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
}

function pair(): [RTCPeerConnection, RTCPeerConnection, () => void] {
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const close = (): void => {
    a.close();
    b.close();
  };
  return [a, b, close];
}

describe('RTCPeerConnection negotiationneeded (webrtc-pc §4.7.3)', () => {
  it('is queued, not synchronous, and two synchronous addTracks fire it once', async () => {
    const [a, , close] = pair();
    try {
      const n = counter(a);
      a.addTrack(new MediaStreamTrack({ kind: 'audio' }));
      a.addTrack(new MediaStreamTrack({ kind: 'video' }));
      expect(n.handler).toBe(0);
      await settle(a);
      expect(n).toEqual({ handler: 1, listener: 1 });
      // Already flagged: another change before negotiating does not fire again.
      a.addTransceiver('audio');
      await settle(a);
      expect(n.handler).toBe(1);
    } finally {
      close();
    }
  });

  it('is not fired while have-local-offer, and fires after the answer when something changed meanwhile', async () => {
    const [a, b, close] = pair();
    try {
      const n = counter(a);
      const m = counter(b);
      a.addTrack(new MediaStreamTrack({ kind: 'audio' }));
      await settle(a);
      expect(n.handler).toBe(1);
      await a.setLocalDescription();
      expect(a.signalingState).toBe('have-local-offer');
      a.addTrack(new MediaStreamTrack({ kind: 'video' }));
      await settle(a);
      expect(n.handler).toBe(1);
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription!);
      await settle(a, b);
      expect(n.handler).toBe(2);
      // The second negotiation covers the video track: nothing more on either side.
      await offerAnswer(a, b);
      await settle(a, b);
      expect(n.handler).toBe(2);
      expect(m.handler).toBe(0); // b answered with recvonly transceivers: nothing for it to negotiate
    } finally {
      close();
    }
  });

  it('is not fired once a negotiation completed with nothing pending', async () => {
    const [a, b, close] = pair();
    try {
      const n = counter(a);
      a.addTrack(new MediaStreamTrack({ kind: 'video' }));
      await offerAnswer(a, b); // negotiated by hand before the queued check ran
      await settle(a, b);
      expect(n.handler).toBe(0);
    } finally {
      close();
    }
  });

  it('transceiver.stop(), a direction change and restartIce() each fire it; the same direction does not', async () => {
    const [a, b, close] = pair();
    try {
      const n = counter(a);
      const t = a.addTransceiver('video', { direction: 'sendrecv' });
      const u = a.addTransceiver('audio', { direction: 'sendrecv' });
      await settle(a);
      await offerAnswer(a, b);
      await settle(a, b);
      const base = n.handler;

      t.direction = 'sendrecv';
      await settle(a);
      expect(n.handler).toBe(base);
      t.direction = 'recvonly';
      await settle(a);
      expect(n.handler).toBe(base + 1);
      await offerAnswer(a, b);
      await settle(a, b);
      expect(n.handler).toBe(base + 1);

      u.stop();
      await settle(a);
      expect(n.handler).toBe(base + 2);
      await offerAnswer(a, b);
      await settle(a, b);
      expect(a.getTransceivers()).not.toContain(u);
      expect(n.handler).toBe(base + 2);

      a.restartIce();
      await settle(a);
      expect(n.handler).toBe(base + 3);
      await offerAnswer(a, b);
      await settle(a, b);
      expect(n.handler).toBe(base + 3);
    } finally {
      close();
    }
  });

  it('the answerer fires it when it wants to send on a line it answered recvonly', async () => {
    const [a, b, close] = pair();
    try {
      const m = counter(b);
      a.addTrack(new MediaStreamTrack({ kind: 'video' }));
      await offerAnswer(a, b);
      await settle(a, b);
      expect(m.handler).toBe(0);
      const [bt] = b.getTransceivers();
      await bt!.sender.replaceTrack(new MediaStreamTrack({ kind: 'video' })); // rtcwire: recvonly → sendrecv
      await settle(b);
      expect(m.handler).toBe(1);
    } finally {
      close();
    }
  });

  it('close() stops it: nothing fires after close, even for a change queued before', async () => {
    const a = new RTCPeerConnection(config);
    const n = counter(a);
    a.addTrack(new MediaStreamTrack({ kind: 'audio' }));
    a.close();
    await settle(a);
    expect(n.handler).toBe(0);
    expect(() => a.addTrack(new MediaStreamTrack({ kind: 'audio' }))).toThrow();
    a.restartIce();
    await settle(a);
    expect(n.handler).toBe(0);
  });
});
