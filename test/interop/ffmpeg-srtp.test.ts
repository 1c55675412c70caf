/**
 * Media interop with ffmpeg 5.1 over SRTP (SDES keys, AES_CM_128_HMAC_SHA1_80), both directions:
 * - ffmpeg encodes a test pattern (VP8, VP9, H.264) and sends SRTP; we unprotect (@rtcwire/srtp),
 *   decode RTP (@rtcwire/rtp), assemble frames (@rtcwire/codecs) and write IVF / Annex-B, which
 *   ffmpeg must decode without a single error message and with the frame count it sent. Opus: every
 *   packet must come out as one 20 ms frame.
 * - we packetize our fixture frames, protect them and send; ffmpeg receives via an SDP with
 *   a=crypto and must decode the requested frames with no error.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AssembledFrame,
  type Depacketizer,
  FrameAssembler,
  H264Depacketizer,
  H264Packetizer,
  joinAnnexB,
  OpusDepacketizer,
  type OpusMedia,
  type Packetizer,
  RtpSequencer,
  splitAccessUnits,
  splitAnnexB,
  Vp8Depacketizer,
  Vp8Packetizer,
  Vp9Depacketizer,
} from '@rtcwire/codecs';
import { IvfWriter } from '@rtcwire/containers';
import { decodeRtpPacket, encodeRtpPacket } from '@rtcwire/rtp';
import { SrtpProtectContext, SrtpUnprotectContext } from '@rtcwire/srtp';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './harness/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'rtcwire-ffmpeg-srtp-'));
const fixtures = join(import.meta.dirname, '..', '..', 'packages', 'codecs', 'test', 'fixtures');
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Start ffmpeg; it is killed (by its pid) if it runs past `timeoutMs`. */
function ffmpeg(args: string[], timeoutMs: number): Run {
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, timeoutMs);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
  return { done };
}

function newKey(): { key: Uint8Array; salt: Uint8Array; base64: string } {
  const material = randomBytes(30);
  return { key: material.subarray(0, 16), salt: material.subarray(16), base64: material.toString('base64') };
}

async function bindUdp(port: number): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, '127.0.0.1', () => resolve());
  });
  return s;
}

const VP8_ENCODE = ['-an', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k', '-g', '30'];
// ffmpeg's VP9 RTP packetizer is marked experimental; it sends a one-byte descriptor (B/E only).
const VP9_ENCODE = [
  '-an',
  '-pix_fmt',
  'yuv420p',
  '-c:v',
  'libvpx-vp9',
  '-deadline',
  'realtime',
  '-cpu-used',
  '8',
  '-b:v',
  '500k',
  '-g',
  '30',
  '-strict',
  'experimental',
];
const H264_ENCODE = [
  '-an',
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-tune',
  'zerolatency',
  '-profile:v',
  'baseline',
  '-pix_fmt',
  'yuv420p',
  '-g',
  '30',
  '-bsf:v',
  'h264_mp4toannexb',
];

const TEST_PATTERN = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30', '-t', '2'];

/** ffmpeg sends 2 s of media over SRTP; returns the frames we assembled and any losses. */
async function receiveFromFfmpeg(
  encode: string[],
  payloadType: number,
  depacketizer: Depacketizer,
  input: string[] = TEST_PATTERN,
) {
  const port = await freePort();
  const rtp = await bindUdp(port);
  const rtcp = await bindUdp(port + 1).catch(() => undefined);
  const { key, salt, base64 } = newKey();
  const srtp = new SrtpUnprotectContext('AES_CM_128_HMAC_SHA1_80', key, salt, { replayWindowSize: 512 });
  const assembler = new FrameAssembler(depacketizer, { reorderWindow: 16 });
  const frames: AssembledFrame[] = [];
  const incomplete: unknown[] = [];
  const collect = (events: ReturnType<FrameAssembler['flush']>) => {
    for (const e of events)
      if (e.type === 'frame') frames.push(e.frame);
      else incomplete.push(e);
  };
  let authFailures = 0;
  rtp.on('message', (msg) => {
    const r = srtp.unprotect(new Uint8Array(msg));
    if (!r.ok) {
      authFailures++;
      return;
    }
    collect(assembler.push(decodeRtpPacket(r.packet)));
  });
  const run = ffmpeg(
    [
      '-nostdin',
      '-v',
      'error',
      '-re',
      ...input,
      ...encode,
      '-f',
      'rtp',
      '-payload_type',
      String(payloadType),
      '-ssrc',
      '305419896',
      '-srtp_out_suite',
      'AES_CM_128_HMAC_SHA1_80',
      '-srtp_out_params',
      base64,
      `srtp://127.0.0.1:${port}?pkt_size=1200`,
    ],
    30_000,
  );
  const result = await run.done;
  await new Promise((r) => setTimeout(r, 200)); // last datagrams
  collect(assembler.flush());
  rtp.close();
  rtcp?.close();
  return { result, frames, incomplete, authFailures, drops: srtp.drops.toJSON() };
}

/** Decode `file` with ffmpeg: error output (must be empty) and the decoded frame count. */
function decodeWithFfmpeg(file: string): { errors: string; frames: number } {
  const errors = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const probe = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { errors, frames: Number(JSON.parse(probe).streams[0].nb_read_frames) };
}

describe('ffmpeg → rtcwire over SRTP', () => {
  it('Opus: every 20 ms packet arrives as one frame', async () => {
    const r = await receiveFromFfmpeg(
      ['-c:a', 'libopus', '-b:a', '32k', '-frame_duration', '20', '-application', 'audio'],
      111,
      new OpusDepacketizer(),
      ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '2', '-vn'],
    );
    expect(r.result.code).toBe(0);
    expect(r.authFailures).toBe(0);
    expect(r.incomplete).toEqual([]);
    // 2 s of 20 ms frames; libopus may hold back its look-ahead at the very end.
    expect(r.frames.length).toBeGreaterThanOrEqual(99);
    expect(r.frames.length).toBeLessThanOrEqual(101);
    const media = r.frames as unknown as OpusMedia[];
    expect(new Set(media.map((f) => f.samples))).toEqual(new Set([960]));
    const steps = r.frames.slice(1).map((f, i) => (f.timestamp - r.frames[i]!.timestamp) >>> 0);
    expect(new Set(steps)).toEqual(new Set([960]));
  });

  it('VP8: every frame arrives whole and the IVF we write decodes cleanly', async () => {
    const r = await receiveFromFfmpeg(VP8_ENCODE, 96, new Vp8Depacketizer());
    expect(r.result.code).toBe(0);
    expect(r.authFailures).toBe(0);
    expect(r.incomplete).toEqual([]);
    expect(r.frames).toHaveLength(60);
    expect(r.frames[0]).toMatchObject({ keyframe: true, width: 320, height: 240 });
    expect(r.frames.filter((f) => f.keyframe)).toHaveLength(2);
    const writer = new IvfWriter({
      fourcc: 'VP80',
      width: 320,
      height: 240,
      timebaseDenominator: 90000,
      timebaseNumerator: 1,
    });
    const first = r.frames[0]!.timestamp;
    const body = r.frames.map((f) => writer.frame(f.data, (f.timestamp - first) >>> 0));
    const file = join(dir, 'from-ffmpeg.ivf');
    writeFileSync(file, Buffer.concat([writer.finalHeader(), ...body]));
    expect(decodeWithFfmpeg(file)).toEqual({ errors: '', frames: 60 });
  });

  it('VP9: every frame arrives whole and the IVF we write decodes cleanly', async () => {
    const r = await receiveFromFfmpeg(VP9_ENCODE, 98, new Vp9Depacketizer());
    expect(r.result.code).toBe(0);
    expect(r.authFailures).toBe(0);
    expect(r.incomplete).toEqual([]);
    expect(r.frames).toHaveLength(60);
    expect(r.frames[0]).toMatchObject({ keyframe: true, width: 320, height: 240 });
    expect(r.frames.filter((f) => f.keyframe)).toHaveLength(2);
    const writer = new IvfWriter({
      fourcc: 'VP90',
      width: 320,
      height: 240,
      timebaseDenominator: 90000,
      timebaseNumerator: 1,
    });
    const first = r.frames[0]!.timestamp;
    const body = r.frames.map((f) => writer.frame(f.data, (f.timestamp - first) >>> 0));
    const file = join(dir, 'from-ffmpeg-vp9.ivf');
    writeFileSync(file, Buffer.concat([writer.finalHeader(), ...body]));
    expect(decodeWithFfmpeg(file)).toEqual({ errors: '', frames: 60 });
  });

  it('H.264: every access unit arrives whole and the Annex-B stream decodes cleanly', async () => {
    const r = await receiveFromFfmpeg(H264_ENCODE, 102, new H264Depacketizer());
    expect(r.result.code).toBe(0);
    expect(r.authFailures).toBe(0);
    expect(r.incomplete).toEqual([]);
    expect(r.frames).toHaveLength(60);
    expect(r.frames[0]).toMatchObject({ keyframe: true, width: 320, height: 240 });
    expect(r.frames.filter((f) => f.keyframe)).toHaveLength(2);
    const file = join(dir, 'from-ffmpeg.h264');
    writeFileSync(file, Buffer.concat(r.frames.map((f) => f.data)));
    expect(decodeWithFfmpeg(file)).toEqual({ errors: '', frames: 60 });
  });
});

function ivfFrames(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Uint8Array[] = [];
  for (let at = 32; at < file.byteLength; ) {
    const size = view.getUint32(at, true);
    out.push(file.subarray(at + 12, at + 12 + size));
    at += 12 + size;
  }
  return out;
}

/** Wait until some process has bound UDP `port` on this host (Linux /proc/net/udp). */
async function udpPortBound(port: number, timeoutMs: number): Promise<void> {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    const table = readFileSync('/proc/net/udp', 'utf8');
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(suffix))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing bound UDP port ${port} within ${timeoutMs} ms`);
}

/** We send the fixture (looped) at 30 fps; ffmpeg must decode `want` frames from the SDP. */
async function sendToFfmpeg(source: Uint8Array[], packetizer: Packetizer, sdpMedia: string[], want: number) {
  const port = await freePort();
  const { key, salt, base64 } = newKey();
  const sdp = [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=rtcwire',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=video ${port} RTP/SAVP ${sdpMedia[0]}`,
    ...sdpMedia.slice(1),
    `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${base64}`,
    '',
  ].join('\r\n');
  const sdpFile = join(dir, `in-${port}.sdp`);
  writeFileSync(sdpFile, sdp);
  const run = ffmpeg(
    [
      '-nostdin',
      '-v',
      'error',
      '-protocol_whitelist',
      'file,udp,rtp,srtp',
      '-i',
      sdpFile,
      '-frames:v',
      String(want),
      '-f',
      'framecrc',
      '-',
    ],
    30_000,
  );
  await udpPortBound(port, 15_000); // ffmpeg listens before we send a single packet
  const sock = createSocket('udp4');
  const srtp = new SrtpProtectContext('AES_CM_128_HMAC_SHA1_80', key, salt);
  const seq = new RtpSequencer(packetizer, {
    ssrc: 0x5eed,
    payloadType: Number(sdpMedia[0]),
    initialSequenceNumber: 65500,
  });
  let exited = false;
  void run.done.then(() => {
    exited = true;
  });
  for (let i = 0; i < want + 30 && !exited; i++) {
    for (const packet of seq.packetize(source[i % source.length]!, (0xfffe0000 + i * 3000) >>> 0)) {
      sock.send(srtp.protect(encodeRtpPacket(packet)), port, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 33));
  }
  const result = await run.done;
  sock.close();
  const decoded = result.stdout.split('\n').filter((l) => l.length > 0 && !l.startsWith('#')).length;
  return { ...result, decoded };
}

describe('rtcwire → ffmpeg over SRTP', () => {
  it('VP8: ffmpeg decodes our packetized, protected stream without errors', async () => {
    const source = ivfFrames(new Uint8Array(readFileSync(join(fixtures, 'vp8.ivf'))));
    const r = await sendToFfmpeg(
      source,
      new Vp8Packetizer({ maxPayloadSize: 1100 }),
      ['96', 'a=rtpmap:96 VP8/90000'],
      30,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.decoded).toBe(30);
  });

  it('H.264: ffmpeg decodes our STAP-A/FU-A stream without errors', async () => {
    const units = splitAccessUnits(splitAnnexB(new Uint8Array(readFileSync(join(fixtures, 'h264.h264')))));
    const r = await sendToFfmpeg(
      units.map(joinAnnexB),
      new H264Packetizer({ maxPayloadSize: 1100 }),
      ['102', 'a=rtpmap:102 H264/90000', 'a=fmtp:102 packetization-mode=1;profile-level-id=42c00d'],
      30,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.decoded).toBe(30);
  });
});
