import { parseSdp, writeSdp } from '@rtcwire/sdp';
import { describe, expect, it } from 'vitest';
import { bundleTransportChanged, type PeerEvent, transportSection } from '../../src/index.js';
import { negotiate, twoPeers } from './two-peers.js';

// Stopping the BUNDLE-tagged m= line moves the group to a new transport (see src/engine/transport-change.ts):
// both engines decide so from the descriptions, run new ICE checks and a new DTLS handshake, and media goes on
// with the same SSRC and continuous sequence numbers.

const session = (group: string, lines: [string, number][]) =>
  parseSdp(
    [
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      ...(group ? [`a=group:BUNDLE ${group}`] : []),
      ...lines.flatMap(([mid, port]) => [
        `m=video ${port} UDP/TLS/RTP/SAVPF 96`,
        'c=IN IP4 0.0.0.0',
        `a=ice-ufrag:u${mid}`,
        'a=ice-pwd:pppppppppppppppppppppppp',
        `a=mid:${mid}`,
      ]),
      '',
    ].join('\r\n'),
  );

describe('the BUNDLE transport change rule', () => {
  it('changes when the tag moves, whether or not the old tag stays in the group', () => {
    const before = session('0 1', [
      ['0', 9],
      ['1', 9],
    ]);
    // The tagged line was stopped: port 0, out of the group, the tag moved to 1.
    expect(
      bundleTransportChanged(
        before,
        session('1', [
          ['0', 0],
          ['1', 9],
        ]),
      ),
    ).toBe(true);
    // Another line stopped: same tag.
    expect(
      bundleTransportChanged(
        before,
        session('0', [
          ['0', 9],
          ['1', 0],
        ]),
      ),
    ).toBe(false);
    // Same group again, or no previous description: nothing changes.
    expect(bundleTransportChanged(before, before)).toBe(false);
    expect(bundleTransportChanged(undefined, before)).toBe(false);
    // A reordered group that still holds the old tag: Chromium moves transport then too (a recycled line 0).
    expect(
      bundleTransportChanged(
        before,
        session('1 0', [
          ['0', 9],
          ['1', 9],
        ]),
      ),
    ).toBe(true);
    // No group before: nothing to move.
    expect(bundleTransportChanged(session('', [['0', 9]]), before)).toBe(false);
  });

  it('reads the transport from the tagged section, not the first accepted one', () => {
    const d = session('1 0', [
      ['0', 9],
      ['1', 9],
    ]);
    expect(transportSection(d)?.attributes.find((a) => a.name === 'mid')?.value).toBe('1');
    expect(
      transportSection(
        session('', [
          ['0', 0],
          ['1', 9],
        ]),
      )?.port,
    ).toBe(9);
  });
});

const connectedCount = (events: PeerEvent[]) =>
  events.filter((e) => e.type === 'connection-state' && e.state === 'connected').length;

describe('stopping the BUNDLE-tagged transceiver between two engines', () => {
  it('both sides move to a new transport and media continues on the same SSRC', async () => {
    const p = await twoPeers(7);
    const first = p.a.addTransceiver('video', { direction: 'sendonly' });
    const second = p.a.addTransceiver('video', { direction: 'sendonly' });
    negotiate(p);
    expect(p.net.runUntil(() => connectedCount(p.aEvents) === 1 && connectedCount(p.bEvents) === 1, 10_000)).toBe(true);
    let seq = 0;
    const send = () => {
      p.a.sendRtp(p.net.now, second.id, { payload: new Uint8Array([seq & 0xff]), timestamp: seq * 3000, marker: true });
      seq++;
    };
    const sendFor = (ms: number) => {
      const start = p.net.now;
      for (let t = 0; t < ms; t += 33) p.net.schedule(start + t, send);
      p.net.runUntil(start + ms + 200);
    };
    sendFor(1000);
    const rtpOf = () => p.bEvents.filter((e) => e.type === 'rtp' && e.mid === '1');
    const before = rtpOf().length;
    expect(before).toBeGreaterThan(25);
    const dtlsBefore = p.aEvents.filter((e) => e.type === 'dtls-connected').length;

    first.stopped = true;
    first.direction = 'inactive';
    const aMark = p.aEvents.length;
    const bMark = p.bEvents.length;
    negotiate(p);
    p.net.runFor(200);
    const offer = p.a.currentLocalDescription ?? '';
    expect(offer).toMatch(/a=group:BUNDLE 1\r\n/);
    expect(p.net.runUntil(() => connectedCount(p.aEvents) === 2 && connectedCount(p.bEvents) === 2, 10_000)).toBe(true);
    // Both new ICE agents gathered again and trickled their candidates for the new tag, line 1.
    for (const events of [p.aEvents.slice(aMark), p.bEvents.slice(bMark)]) {
      const trickled = events.filter((e) => e.type === 'ice-candidate');
      expect(trickled.length).toBeGreaterThan(0);
      expect(trickled.every((e) => e.type === 'ice-candidate' && e.sdpMid === '1' && e.sdpMLineIndex === 1)).toBe(true);
    }
    // A second DTLS handshake happened on both sides.
    expect(p.aEvents.filter((e) => e.type === 'dtls-connected').length).toBe(dtlsBefore + 1);
    expect(p.bEvents.filter((e) => e.type === 'dtls-connected').length).toBe(2);

    sendFor(1000);
    const after = rtpOf();
    expect(after.length - before).toBeGreaterThan(25);
    const ssrcs = new Set(after.map((e) => (e.type === 'rtp' ? e.packet.ssrc : 0)));
    expect([...ssrcs]).toEqual([second.sender.ssrc]);
    // Sequence numbers continued across the change.
    const seqs = after.map((e) => (e.type === 'rtp' ? e.packet.sequenceNumber : 0));
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 0x10000) & 0xffff).toBe(1);
    expect(writeSdp(parseSdp(offer))).toContain('m=video 0 ');
  }, 30_000);

  it('an ICE restart in the same offer gives the answerer new credentials on the new transport too', async () => {
    const p = await twoPeers(8);
    const first = p.a.addTransceiver('video', { direction: 'sendonly' });
    p.a.addTransceiver('video', { direction: 'sendonly' });
    negotiate(p);
    expect(p.net.runUntil(() => connectedCount(p.aEvents) === 1 && connectedCount(p.bEvents) === 1, 10_000)).toBe(true);
    const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
    const aBefore = ufrag(p.a.currentLocalDescription);
    const bBefore = ufrag(p.b.currentLocalDescription);
    first.stopped = true;
    p.a.restartIce(p.net.now);
    negotiate(p);
    expect(p.net.runUntil(() => connectedCount(p.aEvents) === 2 && connectedCount(p.bEvents) === 2, 10_000)).toBe(true);
    expect(ufrag(p.a.currentLocalDescription)).not.toBe(aBefore);
    expect(ufrag(p.b.currentLocalDescription)).not.toBe(bBefore);
    expect(p.a.connectionState).toBe('connected');
  }, 30_000);
});
