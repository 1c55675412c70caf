/**
 * RFC 7983 §7 demultiplexing of one UDP flow by its first byte (STUN is taken by the ICE agent before
 * this point): 20–63 DTLS, 128–191 RTP or RTCP. RTCP is told from RTP by the packet type byte
 * (RFC 5761 §4: 192–223 are RTCP types; RTP payload types there would collide and are not used).
 */
export type PacketClass = 'dtls' | 'rtp' | 'rtcp' | 'unknown';

export function classifyPacket(data: Uint8Array): PacketClass {
  const first = data[0];
  if (first === undefined) return 'unknown';
  if (first >= 20 && first <= 63) return 'dtls';
  if (first >= 128 && first <= 191) {
    const second = data[1];
    if (second === undefined) return 'unknown';
    return second >= 192 && second <= 223 ? 'rtcp' : 'rtp';
  }
  return 'unknown';
}
