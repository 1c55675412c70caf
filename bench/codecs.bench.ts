/**
 * Depacketization throughput, rtcwire vs werift, frames/s. Both start from already-decoded RTP
 * packets of real encoder output (packages/codecs/test/fixtures, packetized at 1200 bytes) and
 * produce whole frames: rtcwire through `FrameAssembler` (reorder-tolerant, completeness-checked,
 * keyframe and size detection), werift through `dePacketizeRtpPackets` on each frame's packets
 * (grouping done for it, untimed). Prints one JSON line per codec.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Depacketizer,
  FrameAssembler,
  H264Depacketizer,
  H264Packetizer,
  joinAnnexB,
  type Packetizer,
  RtpSequencer,
  splitAccessUnits,
  splitAnnexB,
  Vp8Depacketizer,
  Vp8Packetizer,
} from '@rtcwire/codecs';
import { decodeRtpPacket, encodeRtpPacket, type RtpPacket } from '@rtcwire/rtp';
import { dePacketizeRtpPackets, RtpPacket as WeriftRtpPacket } from 'werift';
import { compare, report } from './lib/measure.js';

const FRAMES = 3000;
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'codecs', 'test', 'fixtures');
let sink = 0;

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

/** FRAMES frames (the fixture repeated) as decoded rtcwire packets and werift packets, per frame. */
function prepare(source: Uint8Array[], packetizer: Packetizer) {
  const seq = new RtpSequencer(packetizer, { ssrc: 0x1234, payloadType: 96, initialSequenceNumber: 1000 });
  const ours: RtpPacket[][] = [];
  const theirs: WeriftRtpPacket[][] = [];
  for (let i = 0; i < FRAMES; i++) {
    const wire = seq.packetize(source[i % source.length] as Uint8Array, i * 3000).map((p) => encodeRtpPacket(p));
    ours.push(wire.map((w) => decodeRtpPacket(w)));
    theirs.push(wire.map((w) => WeriftRtpPacket.deSerialize(Buffer.from(w))));
  }
  return { ours, theirs };
}

function run(
  name: string,
  codec: 'vp8' | 'MPEG4/ISO/AVC',
  make: () => Depacketizer,
  source: Uint8Array[],
  packetizer: Packetizer,
) {
  const { ours, theirs } = prepare(source, packetizer);
  let assembler = new FrameAssembler(make());
  const result = compare(
    {
      rtcwire: {
        setup: () => {
          assembler = new FrameAssembler(make());
        },
        run: (ops) => {
          for (let i = 0; i < ops; i++) {
            for (const p of ours[i] as RtpPacket[]) {
              assembler.handlePacket(p);
              for (let e = assembler.pollEvent(); e !== undefined; e = assembler.pollEvent()) {
                if (e.type === 'frame') sink += e.frame.data.byteLength;
              }
            }
          }
          for (const e of assembler.flush()) if (e.type === 'frame') sink += e.frame.data.byteLength;
        },
      },
      werift: {
        run: (ops) => {
          for (let i = 0; i < ops; i++)
            sink += dePacketizeRtpPackets(codec, theirs[i] as WeriftRtpPacket[]).data.byteLength;
        },
      },
    },
    { ops: FRAMES },
  );
  const packets = ours.reduce((n, f) => n + f.length, 0);
  report(name, 'frames/s', result, {
    packetsPerFrame: Math.round((packets / FRAMES) * 100) / 100,
    maxPayloadSize: 1200,
  });
}

const vp8 = ivfFrames(new Uint8Array(readFileSync(join(fixtures, 'vp8.ivf'))));
run('vp8-depacketize', 'vp8', () => new Vp8Depacketizer(), vp8, new Vp8Packetizer({ maxPayloadSize: 1200 }));

const h264 = splitAccessUnits(splitAnnexB(new Uint8Array(readFileSync(join(fixtures, 'h264.h264'))))).map(joinAnnexB);
run(
  'h264-depacketize',
  'MPEG4/ISO/AVC',
  () => new H264Depacketizer(),
  h264,
  new H264Packetizer({ maxPayloadSize: 1200 }),
);

if (sink === 0) console.error('nothing measured');
