// A browser sends to rtcwire: headless Chromium offers its fake camera (VP8) and microphone (Opus);
// rtcwire answers, receives depacketized frames and writes the video to an IVF file (play it with
// `ffplay` or inspect it with `ffprobe`).
//
//   npx tsx examples/receive-from-chrome/src/main.ts [--seconds 10] [--out /tmp/from-chrome.ivf]
import { closeSync, openSync, writeSync } from 'node:fs';
import { IvfWriter } from '@rtcwire/containers';
import { ChromeSession } from '@rtcwire/interop-chrome';
import { type EncodedFrame, RTCPeerConnection } from 'rtcwire';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg('--seconds')) || 10;
const out = arg('--out') ?? '/tmp/rtcwire-from-chrome.ivf';

const chrome = await ChromeSession.launch();
const browser = await chrome.createPeer({ video: true, audio: true, direction: 'sendonly', videoCodec: 'video/VP8' });
const pc = new RTCPeerConnection({ rtcwire: { addresses: ['127.0.0.1'] } });
const fd = openSync(out, 'w');
const ivf = new IvfWriter({
  fourcc: 'VP80',
  width: 640,
  height: 480,
  timebaseDenominator: 90_000,
  timebaseNumerator: 1,
});
writeSync(fd, ivf.header());
const counts = { video: 0, keyframes: 0, audio: 0, incomplete: 0 };
let firstTimestamp: number | undefined;

pc.ontrack = ({ track }) => {
  console.log(`rtcwire: receiving ${track.kind}`);
  track.addEventListener('frame', (e) => {
    const frame = (e as CustomEvent<EncodedFrame>).detail;
    if (frame.codec === 'OPUS') {
      counts.audio++;
      return;
    }
    // An IVF file starts with a keyframe; ask for one rather than wait for the next.
    if (counts.video === 0 && !frame.keyframe) return track.requestKeyframe();
    firstTimestamp ??= frame.timestamp;
    writeSync(fd, ivf.frame(frame.data, (frame.timestamp - firstTimestamp) >>> 0));
    counts.video++;
    if (frame.keyframe) counts.keyframes++;
  });
  track.addEventListener('incomplete-frame', () => counts.incomplete++);
};

try {
  await pc.setRemoteDescription({ type: 'offer', sdp: await browser.createOffer() });
  await pc.setLocalDescription();
  await pc.waitForGatheringComplete();
  await browser.setAnswer(pc.localDescription!.sdp);
  await pc.waitForConnectionState('connected');
  console.log('rtcwire: connected');
  for (let s = 1; s <= seconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    console.log(
      `${s}s: ${counts.video} VP8 frames (${counts.keyframes} keyframes), ${counts.audio} Opus packets, ${counts.incomplete} incomplete`,
    );
  }
} finally {
  pc.close();
  await chrome.close();
  writeSync(fd, ivf.finalHeader(), 0, undefined, 0); // the header carries the frame count
  closeSync(fd);
}
console.log(`wrote ${counts.video} frames to ${out}`);
if (counts.video === 0) process.exit(1);
