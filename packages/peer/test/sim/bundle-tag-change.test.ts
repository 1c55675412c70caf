import { readFileSync } from 'node:fs';
import { seededRandom, socketAddress } from '@rtcwire/common';
import { parseSdp } from '@rtcwire/sdp';
import { describe, expect, it } from 'vitest';
import {
  bundleTransportChanged,
  candidateKey,
  PeerConnectionCore,
  type PeerEvent,
  transportSection,
} from '../../src/index.js';
import { certificates, negotiate, type TwoPeers, twoPeers } from './two-peers.js';

// Stopping the BUNDLE-tagged m= line moves the tag; whether it moves the transport too is decided from the
// remote's descriptions (src/engine/transport-change.ts). Two rtcwire engines keep theirs; a peer that signals a
// new transport (new candidates or none, as Chromium does) is followed with new ICE checks and a new DTLS
// handshake — and either way media goes on with the same SSRC and continuous sequence numbers.

type Line = [mid: string, port: number, candidates?: string[]];
const session = (group: string, lines: Line[]) =>
  parseSdp(
    [
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      ...(group ? [`a=group:BUNDLE ${group}`] : []),
      ...lines.flatMap(([mid, port, candidates = []]) => [
        `m=video ${port} UDP/TLS/RTP/SAVPF 96`,
        'c=IN IP4 0.0.0.0',
        ...candidates.map((c, i) => `a=candidate:${i} 1 udp 2122194687 ${c} typ host`),
        `a=ice-ufrag:u${mid}`,
        'a=ice-pwd:pppppppppppppppppppppppp',
        `a=mid:${mid}`,
      ]),
      '',
    ].join('\r\n'),
  );

describe('the BUNDLE transport change rule', () => {
  const before = session('0 1', [
    ['0', 5000, ['10.0.0.1 5000']],
    ['1', 9],
  ]);

  it('a moved tag whose section lists no candidates, or only new ones, is a new transport (Chromium)', () => {
    // The tagged line stopped; trickle: no candidates yet.
    expect(
      bundleTransportChanged(
        before,
        session('1', [
          ['0', 0],
          ['1', 9],
        ]),
      ),
    ).toBe(true);
    // New sockets: new candidates.
    expect(
      bundleTransportChanged(
        before,
        session('1', [
          ['0', 0],
          ['1', 6000, ['10.0.0.1 6000']],
        ]),
      ),
    ).toBe(true);
    // A recycled line 0 took the tag while the old tag stayed in the group.
    expect(
      bundleTransportChanged(
        before,
        session('2 0', [
          ['2', 9],
          ['0', 5000, ['10.0.0.1 5000']],
        ]),
      ),
    ).toBe(true);
  });

  it('a moved tag whose section repeats a candidate of the current transport keeps the transport', () => {
    expect(
      bundleTransportChanged(
        before,
        session('1', [
          ['0', 0],
          ['1', 5000, ['10.0.0.1 5000']],
        ]),
      ),
    ).toBe(false);
    // Known from trickle rather than from the earlier description.
    const trickled = new Set([candidateKey('10.0.0.1', 7000)]);
    const next = session('1', [
      ['0', 0],
      ['1', 7000, ['10.0.0.1 7000']],
    ]);
    expect(bundleTransportChanged(before, next, trickled)).toBe(false);
    expect(bundleTransportChanged(before, next)).toBe(true);
  });

  it('nothing moves without a tag change', () => {
    expect(
      bundleTransportChanged(
        before,
        session('0', [
          ['0', 9],
          ['1', 0],
        ]),
      ),
    ).toBe(false);
    expect(bundleTransportChanged(before, before)).toBe(false);
    expect(bundleTransportChanged(undefined, before)).toBe(false);
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
const dtlsCount = (events: PeerEvent[]) => events.filter((e) => e.type === 'dtls-connected').length;
/** Descriptions without candidates, as a trickling peer (e.g. Chromium) sends them for a new transport. */
const withoutCandidates = (sdp: string) => sdp.replace(/a=(candidate|end-of-candidates)[^\r\n]*\r\n/g, '');

/** a offers, b answers (50 ms each way), optionally passing both descriptions through `edit`. */
function negotiateVia(p: TwoPeers, edit: (sdp: string) => string): void {
  const { net, a, b } = p;
  net.schedule(net.now, () => {
    const offer = a.createOffer();
    a.setLocalDescription(net.now, 'offer', offer);
    net.schedule(net.now + 50, () => {
      b.setRemoteDescription(net.now, 'offer', edit(offer));
      const answer = b.createAnswer();
      b.setLocalDescription(net.now, 'answer', answer);
      net.schedule(net.now + 50, () => a.setRemoteDescription(net.now, 'answer', edit(answer)));
    });
  });
}

/** Two engines, a sends on its second video transceiver; the first (tagged) one is then stopped and renegotiated. */
async function stopTagged(seed: number, edit: (sdp: string) => string, restartIce = false) {
  const p = await twoPeers(seed);
  const first = p.a.addTransceiver('video', { direction: 'sendonly' });
  const second = p.a.addTransceiver('video', { direction: 'sendonly' });
  negotiate(p);
  expect(p.net.runUntil(() => connectedCount(p.aEvents) === 1 && connectedCount(p.bEvents) === 1, 10_000)).toBe(true);
  let seq = 0;
  const sendFor = (ms: number) => {
    const start = p.net.now;
    for (let t = 0; t < ms; t += 33)
      p.net.schedule(start + t, () => {
        p.a.sendRtp(p.net.now, second.id, {
          payload: new Uint8Array([seq & 0xff]),
          timestamp: seq * 3000,
          marker: true,
        });
        seq++;
      });
    p.net.runUntil(start + ms + 200);
  };
  const rtp = () => p.bEvents.filter((e) => e.type === 'rtp' && e.mid === '1');
  sendFor(1000);
  const before = rtp().length;
  expect(before).toBeGreaterThan(25);
  const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
  const ufrags = { a: ufrag(p.a.currentLocalDescription), b: ufrag(p.b.currentLocalDescription) };
  const marks = { a: p.aEvents.length, b: p.bEvents.length };

  first.stopped = true;
  first.direction = 'inactive';
  if (restartIce) p.a.restartIce(p.net.now);
  negotiateVia(p, edit);
  p.net.runFor(300);
  expect(p.a.currentLocalDescription).toMatch(/a=group:BUNDLE 1\r\n/);
  expect(p.a.currentLocalDescription).toMatch(/^m=video 0 /m);
  return {
    p,
    second,
    marks,
    ufrags,
    ufrag,
    /** Send 1 s more and check b got it all on the same SSRC with sequence numbers continuing. */
    checkMediaContinues() {
      sendFor(1000);
      const after = rtp();
      expect(after.length - before).toBeGreaterThan(25);
      expect([...new Set(after.map((e) => (e.type === 'rtp' ? e.packet.ssrc : 0)))]).toEqual([second.sender.ssrc]);
      const seqs = after.map((e) => (e.type === 'rtp' ? e.packet.sequenceNumber : 0));
      for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 0x10000) & 0xffff).toBe(1);
    },
  };
}

describe('stopping the BUNDLE-tagged transceiver between two engines', () => {
  it('two rtcwire engines move the tag but keep the transport: no new handshake, media goes on', async () => {
    const { p, checkMediaContinues } = await stopTagged(7, (sdp) => sdp);
    expect(p.b.currentLocalDescription).toMatch(/a=group:BUNDLE 1\r\n/);
    expect(dtlsCount(p.aEvents)).toBe(1);
    expect(dtlsCount(p.bEvents)).toBe(1);
    expect(p.a.connectionState).toBe('connected');
    checkMediaContinues();
    expect(connectedCount(p.aEvents)).toBe(1);
  }, 30_000);

  it('descriptions that signal a new transport make both engines move: new ICE and DTLS, same SSRC', async () => {
    const { p, marks, checkMediaContinues } = await stopTagged(9, withoutCandidates);
    expect(p.net.runUntil(() => connectedCount(p.aEvents) === 2 && connectedCount(p.bEvents) === 2, 10_000)).toBe(true);
    // Both new ICE agents gathered again and trickled their candidates for the new tag, line 1.
    for (const events of [p.aEvents.slice(marks.a), p.bEvents.slice(marks.b)]) {
      const trickled = events.filter((e) => e.type === 'ice-candidate');
      expect(trickled.length).toBeGreaterThan(0);
      expect(trickled.every((e) => e.type === 'ice-candidate' && e.sdpMid === '1' && e.sdpMLineIndex === 1)).toBe(true);
    }
    expect(dtlsCount(p.aEvents)).toBe(2);
    expect(dtlsCount(p.bEvents)).toBe(2);
    checkMediaContinues();
  }, 30_000);

  it('an ICE restart in the same offer gives the answerer new credentials on the new transport too', async () => {
    const { p, ufrags, ufrag } = await stopTagged(8, withoutCandidates, true);
    expect(p.net.runUntil(() => connectedCount(p.aEvents) === 2 && connectedCount(p.bEvents) === 2, 10_000)).toBe(true);
    expect(dtlsCount(p.bEvents)).toBe(2);
    expect(ufrag(p.a.currentLocalDescription)).not.toBe(ufrags.a);
    expect(ufrag(p.b.currentLocalDescription)).not.toBe(ufrags.b);
  }, 30_000);
});

describe('which candidates count as the current transport (a Chromium offer, rtcwire answers)', () => {
  // Chromium's first offer lists candidates per section (its balanced policy gathers for each before BUNDLE is
  // negotiated); after its tagged transceiver stops, the re-offer tags mid 1 and lists mid 1's own sockets again.
  const offer1 = readFileSync(new URL('../fixtures/chrome-156-offer.sdp', import.meta.url), 'utf8');
  const offer2 = offer1.replace('a=group:BUNDLE 0 1', 'a=group:BUNDLE 1').replace(/^m=audio \d+ /m, 'm=audio 0 ');
  const midOne = offer1.split(/\r?\nm=/)[2] ?? '';
  const midOneCandidate = /a=candidate:(\S+ 1 udp [^\r\n]*)/.exec(midOne)?.[1] ?? '';

  async function answerTwice(trickle?: { sdpMid: string | null }) {
    const [cert] = await certificates();
    const core = new PeerConnectionCore({
      random: seededRandom(5),
      certificate: cert,
      localAddresses: [socketAddress('127.0.0.1', 40000)],
      wallClockMs: (now) => now,
    });
    core.setRemoteDescription(0, 'offer', offer1);
    core.setLocalDescription(0, 'answer', core.createAnswer());
    if (trickle) core.addIceCandidate(0, `candidate:${midOneCandidate}`, trickle.sdpMid);
    const agent = core.iceAgent;
    core.setRemoteDescription(10, 'offer', offer2);
    core.setLocalDescription(10, 'answer', core.createAnswer());
    return core.iceAgent !== agent;
  }

  it('mid 1 lists sockets never signalled for the tag: a new transport', async () => {
    expect(midOneCandidate).toMatch(/ udp /);
    expect(await answerTwice()).toBe(true);
    // Trickled for mid 1's own (pre-BUNDLE) transport: still not the current transport's.
    expect(await answerTwice({ sdpMid: '1' })).toBe(true);
  });

  it('the same socket trickled for the tag (or with no mid) is the current transport: no move', async () => {
    expect(await answerTwice({ sdpMid: '0' })).toBe(false);
    expect(await answerTwice({ sdpMid: null })).toBe(false);
  });
});
