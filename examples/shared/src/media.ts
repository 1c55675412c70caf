// Media sources for the examples (and the interop tests): encoded VP8 frames from an IVF file and Opus
// packets from an Ogg file, sent on a track in real time, looped.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { joinAnnexB, splitAccessUnits, splitAnnexB } from '@rtcwire/codecs';
import { readIvf } from '@rtcwire/containers';
import type { FrameCodec, MediaStreamTrack } from 'rtcwire';

export const MEDIA_DIR = fileURLToPath(new URL('../../media/', import.meta.url));

/** The VP8 frames of examples/media/vp8.ivf (320x240, 30 fps, keyframe every 10 frames). */
export function loadVp8Frames(path = `${MEDIA_DIR}vp8.ivf`): { frames: Uint8Array[]; fps: number } {
  const { header, frames } = readIvf(new Uint8Array(readFileSync(path)));
  const fps = header.timebaseDenominator / Math.max(1, header.timebaseNumerator);
  return { frames: frames.map((f) => f.data), fps: fps > 0 && fps <= 120 ? fps : 30 };
}

/** The frames of any IVF file (VP8, VP9, AV1) and its frame rate. */
export function loadIvfFrames(path: string): { frames: Uint8Array[]; fps: number } {
  return loadVp8Frames(path);
}

/** An H.264 Annex B stream split into access units (one frame each, Annex B again). */
export function loadH264AccessUnits(path: string): Uint8Array[] {
  return splitAccessUnits(splitAnnexB(new Uint8Array(readFileSync(path)))).map((nals) => joinAnnexB(nals));
}

/**
 * The Opus packets of an Ogg Opus file (RFC 7845), skipping the OpusHead and OpusTags header packets.
 * Just enough Ogg (RFC 3533) for files ffmpeg writes: pages, lacing, packets continued across pages.
 */
export function readOggOpusPackets(file: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  let offset = 0;
  while (offset + 27 <= file.length) {
    if (file[offset] !== 0x4f || file[offset + 1] !== 0x67 || file[offset + 2] !== 0x67 || file[offset + 3] !== 0x53)
      throw new Error(`no Ogg page at byte ${offset}`);
    const segments = file[offset + 26] as number;
    let body = offset + 27 + segments;
    for (let i = 0; i < segments; i++) {
      const lace = file[offset + 27 + i] as number;
      pending.push(file.subarray(body, body + lace));
      body += lace;
      if (lace < 255) {
        packets.push(concat(pending));
        pending = [];
      }
    }
    offset = body;
  }
  return packets.filter((p) => !startsWith(p, 'OpusHead') && !startsWith(p, 'OpusTags'));
}

export function loadOpusPackets(path = `${MEDIA_DIR}sine-440hz.opus`): Uint8Array[] {
  return readOggOpusPackets(new Uint8Array(readFileSync(path)));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function startsWith(p: Uint8Array, text: string): boolean {
  return p.length >= text.length && new TextDecoder().decode(p.subarray(0, text.length)) === text;
}

/**
 * Send `frames` on `track` in a loop, one every `1000 / fps` ms, with RTP timestamps advancing by
 * `clockRate / fps`. Returns a function that stops it.
 */
export function loop(
  track: MediaStreamTrack,
  codec: FrameCodec,
  frames: readonly Uint8Array[],
  fps: number,
  clockRate: number,
): () => void {
  let i = 0;
  let timestamp = Math.floor(Math.random() * 0xffffffff);
  const step = Math.round(clockRate / fps);
  const timer = setInterval(() => {
    track.writeFrame({ codec, data: frames[i % frames.length] as Uint8Array, timestamp });
    timestamp = (timestamp + step) >>> 0;
    i++;
  }, 1000 / fps);
  return () => clearInterval(timer);
}
