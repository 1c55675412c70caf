// rtcwire sends to a browser: VP8 frames from an IVF file and Opus packets from an Ogg file, looped in
// real time. rtcwire makes the offer; a headless Chromium (driven by @rtcwire/interop-chrome) answers,
// and its getStats says how many frames it decoded.
//
//   npx tsx examples/send-to-chrome/src/main.ts [--seconds 10]
import { ChromeSession } from '@rtcwire/interop-chrome';
import { MediaStreamTrack, RTCPeerConnection } from 'rtcwire';
import { loadOpusPackets, loadVp8Frames, loop } from '../../shared/src/media.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 10;

const chrome = await ChromeSession.launch();
const browser = await chrome.createPeer({}); // receives only
const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
const video = new MediaStreamTrack({ kind: 'video' });
const audio = new MediaStreamTrack({ kind: 'audio' });
const stops: (() => void)[] = [];
let decoded = 0;
try {
  pc.addTrack(video);
  pc.addTrack(audio);
  pc.addEventListener('connectionstatechange', () => console.log(`rtcwire: ${pc.connectionState}`));

  // Offer (non-trickle: wait for our candidates), let Chrome answer, apply its answer.
  await pc.setLocalDescription();
  await pc.waitForGatheringComplete();
  const answer = await browser.answer(pc.localDescription!.sdp);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  await pc.waitForConnectionState('connected');

  const vp8 = loadVp8Frames();
  stops.push(loop(video, 'VP8', vp8.frames, vp8.fps, 90_000));
  stops.push(loop(audio, 'OPUS', loadOpusPackets(), 50, 48_000)); // 20 ms packets

  for (let s = 1; s <= seconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    const inbound = await browser.statsOfType('inbound-rtp');
    const v = inbound.find((x) => x.kind === 'video');
    const a = inbound.find((x) => x.kind === 'audio');
    decoded = Number(v?.framesDecoded ?? 0);
    console.log(
      `${s}s: Chrome decoded ${decoded} VP8 frames (${v?.frameWidth}x${v?.frameHeight}), received ${a?.packetsReceived ?? 0} Opus packets`,
    );
  }
} finally {
  for (const stop of stops) stop();
  pc.close();
  await chrome.close();
}
if (decoded === 0) {
  console.error('Chrome decoded nothing');
  process.exit(1);
}
