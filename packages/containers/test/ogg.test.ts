import { ParseError } from '@rtcwire/common';
import fc from 'fast-check';
import { opusPacketSamples } from '@rtcwire/codecs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  OGG_BOS,
  OGG_EOS,
  OggOpusWriter,
  encodeOggPage,
  lacing,
  oggCrc32,
  oggPackets,
  opusHead,
  readOggPages,
} from '../src/index.js';
import { MediaFixtures, decodeErrors, probe } from '@rtcwire/interop-ffmpeg';

const media = new MediaFixtures();
afterAll(() => media.cleanup());

describe('Ogg pages (RFC 3533)', () => {
  it('CRC-32 matches the Ogg polynomial on a known input', () => {
    // CRC-32/MPEG-2 style without reflection or final XOR, init 0 ("123456789" → 0x89a1897f).
    expect(oggCrc32(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
  });

  it('laces packet sizes', () => {
    expect(lacing(0)).toEqual([0]);
    expect(lacing(254)).toEqual([254]);
    expect(lacing(255)).toEqual([255, 0]);
    expect(lacing(600)).toEqual([255, 255, 90]);
  });

  it('reads pages from a pooled Buffer without modifying it', () => {
    const page = encodeOggPage({
      serial: 1,
      sequence: 0,
      granule: 0n,
      flags: 0,
      segments: [2],
      body: new Uint8Array([9, 9]),
    });
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(page)]).subarray(3);
    const before = Buffer.from(pooled);
    expect(readOggPages(pooled)).toHaveLength(1);
    expect(pooled.equals(before)).toBe(true);
  });

  it('pages round-trip, and a corrupt CRC is a ParseError', () => {
    const page = encodeOggPage({
      serial: 7,
      sequence: 3,
      granule: 960n,
      flags: OGG_BOS,
      segments: [3],
      body: new Uint8Array([1, 2, 3]),
    });
    const [read] = readOggPages(page);
    expect(read).toMatchObject({ serial: 7, sequence: 3, granule: 960n, flags: OGG_BOS, segments: [3] });
    page[30] = (page[30] as number) ^ 1;
    expect(() => readOggPages(page)).toThrow(ParseError);
  });

  it('property: writer output reads back as the same packets', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 700 }), { maxLength: 40 }), (payloads) => {
        const w = new OggOpusWriter({ serial: 1, pageDurationMs: 100 });
        const parts = [w.start()];
        // Give each packet a valid CELT 20 ms TOC (config 31, code 0).
        const packets = payloads.map((p) => new Uint8Array([0xf8, ...p]));
        for (const [i, p] of packets.entries()) parts.push(w.addPacket(p, i * 960));
        parts.push(w.finish());
        const file = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
        let at = 0;
        for (const p of parts) {
          file.set(p, at);
          at += p.byteLength;
        }
        const pages = readOggPages(file);
        expect(pages.at(-1)?.flags).toBe(OGG_EOS);
        expect(oggPackets(pages).slice(2)).toEqual(packets);
        return true;
      }),
      { numRuns: 50 },
    );
  });

  it('property: random bytes only ever fail with ParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        try {
          readOggPages(new Uint8Array([0x4f, 0x67, 0x67, 0x53, ...data]));
        } catch (e) {
          return e instanceof ParseError;
        }
        return true;
      }),
    );
  });
});

describe('Opus helpers', () => {
  it('builds OpusHead (RFC 7845 §5.1)', () => {
    const h = opusHead({ channels: 1, preSkip: 312 });
    expect(new TextDecoder().decode(h.subarray(0, 8))).toBe('OpusHead');
    expect(Array.from(h.subarray(8, 12))).toEqual([1, 1, 0x38, 0x01]);
  });
});

describe('OggOpusWriter with ffprobe/ffmpeg as the independent reader', () => {
  it('writes an .ogg that decodes cleanly with every packet and the right duration', () => {
    const packets = media.opusPackets(3);
    const w = new OggOpusWriter({ serial: 0x1234, channels: 1 });
    const parts = [w.start()];
    let t = 0;
    for (const p of packets) {
      parts.push(w.addPacket(p, t));
      t += opusPacketSamples(p);
    }
    parts.push(w.finish());
    const file = media.write('tone.ogg', Buffer.concat(parts));
    expect(decodeErrors(file)).toBe('');
    const info = probe(file);
    expect(info.streams[0]?.codec_name).toBe('opus');
    expect(Number(info.streams[0]?.nb_read_packets)).toBe(packets.length);
    expect(info.durationS).toBeCloseTo(w.durationMs / 1000, 1);
    expect(info.durationS).toBeGreaterThan(2.9);
  }, 30_000);
});
