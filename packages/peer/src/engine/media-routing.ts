import type { RtpPacket } from '@rtcwire/rtp';
import { HDREXT } from '../jsep/capabilities.js';
import { receives } from '../jsep/direction.js';
import type { Transceiver } from './transceiver.js';

const UTF8_DECODER = new TextDecoder();

/**
 * The transceiver a received RTP packet belongs to (RFC 8843 §9.2): a known media or RTX SSRC, else
 * the MID header extension, else a payload type only one receiving transceiver uses. An SSRC learned
 * this way is remembered on the transceiver (`receiver.ssrcs`, or `receiver.rtxSsrcs` for RTX).
 */
export function routeRtp(packet: RtpPacket, all: readonly Transceiver[]): Transceiver | undefined {
  for (const t of all) {
    if (t.receiver.ssrcs.has(packet.ssrc) || t.receiver.rtxSsrcs.has(packet.ssrc)) return t;
  }
  const mid = readMid(packet, all);
  const byMid = mid === undefined ? undefined : all.find((t) => t.mid === mid && !t.stopped);
  const candidates = byMid
    ? [byMid]
    : all.filter(
        (t) =>
          !t.stopped &&
          t.codecs.some((c) => c.payloadType === packet.payloadType || c.rtxPayloadType === packet.payloadType),
      );
  if (candidates.length !== 1) return undefined;
  const t = candidates[0] as Transceiver;
  if (!receives(t.currentDirection ?? 'inactive')) return undefined;
  if (t.codecs.some((c) => c.rtxPayloadType === packet.payloadType)) {
    // An RTX stream before its media stream is known: pair it with the only media SSRC, if unique.
    if (t.receiver.ssrcs.size !== 1) return undefined;
    t.receiver.rtxSsrcs.set(packet.ssrc, t.receiver.ssrcs.values().next().value as number);
  } else {
    t.receiver.ssrcs.add(packet.ssrc);
  }
  return t;
}

function readMid(packet: RtpPacket, all: readonly Transceiver[]): string | undefined {
  for (const t of all) {
    const id = extensionId(t, HDREXT.mid);
    if (id === undefined) continue;
    const ext = packet.extensions.find((e) => e.id === id);
    if (ext) return UTF8_DECODER.decode(ext.data);
  }
  return undefined;
}

/** The negotiated id of a header extension on a transceiver. */
export function extensionId(t: Transceiver, uri: string): number | undefined {
  for (const e of t.extensions) if (e.uri === uri) return e.id;
  return undefined;
}

/** The element data of extension `id` in a packet. */
export function extensionData(packet: RtpPacket, id: number | undefined): Uint8Array | undefined {
  if (id === undefined) return undefined;
  for (const e of packet.extensions) if (e.id === id) return e.data;
  return undefined;
}

/** The transceiver receiving media SSRC `ssrc`. */
export function bySourceSsrc(all: readonly Transceiver[], ssrc: number): Transceiver | undefined {
  return all.find((t) => t.receiver.ssrcs.has(ssrc));
}
