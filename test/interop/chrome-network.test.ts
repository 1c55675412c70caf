import { ChromeSession } from '@rtcwire/interop-chrome';
import { RTCPeerConnection } from 'rtcwire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Coturn, startCoturn } from './harness/coturn.js';

// Issue 5 acceptance: Chrome's mDNS host candidates resolved by rtcwire, and media through coturn with
// only relay candidates on the rtcwire side.

interface Received {
  frames: number;
  incomplete: number;
}

async function receiveFromChrome(
  chrome: ChromeSession,
  pcConfig: ConstructorParameters<typeof RTCPeerConnection>[0],
  peer: Parameters<ChromeSession['createPeer']>[0],
  hideOurCandidates = false,
): Promise<{
  received: Received;
  offer: string;
  answer: string;
  pair: Record<string, unknown> | undefined;
  remotes: Record<string, unknown>[];
}> {
  const page = await chrome.createPeer(peer);
  const pc = new RTCPeerConnection(pcConfig);
  const received: Received = { frames: 0, incomplete: 0 };
  pc.ontrack = (e) => {
    e.track.addEventListener('frame', () => received.frames++);
    e.track.addEventListener('incomplete-frame', () => received.incomplete++);
  };
  try {
    const offer = await page.createOffer();
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription();
    await pc.waitForGatheringComplete();
    const answer = pc.localDescription!.sdp;
    // With `hideOurCandidates`, Chrome gets none of ours: only rtcwire's checks, sent to the addresses
    // it resolved, can connect (Chrome then learns us as peer-reflexive).
    await page.setAnswer(hideOurCandidates ? answer.replace(/a=(candidate|end-of-candidates).*\r\n/g, '') : answer);
    await pc.waitForConnectionState('connected', 15_000);
    const deadline = Date.now() + 8000;
    while (received.frames < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const stats = [...(await pc.getStats()).values()];
    const pairId = stats.find((s) => s.type === 'transport')?.selectedCandidatePairId;
    const pair = stats.find((s) => s.id === pairId);
    const local = stats.find((s) => s.id === pair?.localCandidateId);
    const remote = stats.find((s) => s.id === pair?.remoteCandidateId);
    const remotes = stats.filter((s) => s.type === 'remote-candidate');
    return { received, offer, answer, pair: { ...pair, local, remote }, remotes };
  } finally {
    pc.close();
    await page.close().catch(() => {});
  }
}

describe('Chrome with mDNS host candidates (WebRtcHideLocalIpsWithMdns left on)', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch({ mdnsHostCandidates: true });
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it('rtcwire resolves the .local candidates by multicast DNS and receives', async () => {
    // Default address selection: every IPv4 interface. Chrome answers the mDNS query on the default
    // interface (multicast does not loop on `lo` here), with the address of that interface.
    const r = await receiveFromChrome(
      chrome,
      {},
      { video: true, source: 'synthetic', direction: 'sendonly', videoCodec: 'video/VP8' },
      true,
    );
    const hosts = r.offer.match(/a=candidate:\S+ 1 udp \d+ (\S+) \d+ typ host/g) ?? [];
    console.log(`Chrome host candidates: ${hosts.join(' | ')}`);
    console.log('remote candidates:', JSON.stringify(r.remotes));
    console.log('selected pair:', JSON.stringify(r.pair), 'received', JSON.stringify(r.received));
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.every((c) => /\.local /.test(c))).toBe(true);
    expect(r.received.frames).toBeGreaterThanOrEqual(30);
    expect(r.received.incomplete).toBe(0);
    // Chrome had none of our candidates: rtcwire's checks to a resolved address made the connection, and
    // the resolved candidate is listed as a host candidate with an IP address and the .local port.
    const mdnsPorts = hosts.map((c) => Number(c.split(' ')[5]));
    const resolved = r.remotes.filter((c) => c.candidateType === 'host' && mdnsPorts.includes(Number(c.port)));
    expect(resolved.length).toBeGreaterThan(0);
    for (const c of resolved) expect(String(c.address)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  }, 60_000);
});

describe('relay only through coturn', () => {
  let chrome: ChromeSession;
  let turn: Coturn;
  beforeAll(async () => {
    [chrome, turn] = await Promise.all([ChromeSession.launch(), startCoturn()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([chrome?.close(), turn?.stop()]);
  });

  it("rtcwire with iceTransportPolicy 'relay' gathers only a relay candidate and receives through it", async () => {
    const r = await receiveFromChrome(
      chrome,
      {
        iceServers: [
          { urls: `turn:${turn.host}:${turn.port}?transport=udp`, username: turn.user, credential: turn.pass },
        ],
        iceTransportPolicy: 'relay',
        rtcwire: { addresses: ['127.0.0.1'] },
      },
      { video: true, direction: 'sendonly', videoCodec: 'video/VP8' },
    );
    const ours = r.answer.match(/a=candidate:.*/g) ?? [];
    console.log(`rtcwire candidates: ${ours.join(' | ')}`);
    console.log('selected pair:', JSON.stringify(r.pair), 'received', JSON.stringify(r.received));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((c) => / typ relay/.test(c))).toBe(true);
    expect(r.received.frames).toBeGreaterThanOrEqual(30);
    expect(r.received.incomplete).toBe(0);
    expect((r.pair?.local as Record<string, unknown> | undefined)?.candidateType).toBe('relay');
  }, 60_000);
});
