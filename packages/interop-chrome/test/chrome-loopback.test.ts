import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromeSession } from '../src/index.js';

// Proves the harness itself: two peers inside Chromium connect over loopback and the fake camera's
// frames are decoded on the receiving side. rtcwire's own interop tests build on this.
describe('interop-chrome harness', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await ChromeSession.launch();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it('connects two page peers and decodes fake-camera frames', async () => {
    const sender = await chrome.createPeer({ video: true, audio: true, direction: 'sendonly' });
    const receiver = await chrome.createPeer({});
    const offer = await sender.createOffer();
    expect(offer).toMatch(/^m=video /m);
    expect(offer).toMatch(/a=candidate:.* 127\.0\.0\.1 /);
    const answer = await receiver.answer(offer);
    await sender.setAnswer(answer);
    await receiver.waitForConnectionState('connected');

    let framesDecoded = 0;
    for (let i = 0; i < 50 && framesDecoded < 10; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const inbound = await receiver.statsOfType('inbound-rtp');
      framesDecoded = Number(inbound.find((s) => s.kind === 'video')?.framesDecoded ?? 0);
    }
    expect(framesDecoded).toBeGreaterThanOrEqual(10);
    expect((await receiver.tracks()).map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    const transport = (await sender.statsOfType('transport'))[0];
    expect(transport?.dtlsState).toBe('connected');
    await sender.close();
    await receiver.close();
  }, 60_000);

  it('hides host addresses behind mDNS names in mdns mode', async () => {
    const mdns = await ChromeSession.launch({ mdnsHostCandidates: true });
    try {
      const peer = await mdns.createPeer({ video: true, source: 'synthetic' });
      const offer = await peer.createOffer();
      const hostLines = offer.split('\r\n').filter((l) => l.startsWith('a=candidate:') && l.includes(' typ host'));
      expect(hostLines.length).toBeGreaterThan(0);
      for (const line of hostLines) expect(line).toMatch(/ [0-9a-f-]{36}\.local /);
    } finally {
      await mdns.close();
    }
  }, 60_000);
});
