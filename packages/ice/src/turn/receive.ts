import { isParseError, type SocketAddress } from '@rtcwire/common';
import {
  Attr,
  type DecodedStunMessage,
  decodeChannelData,
  decodeStunMessage,
  getAttribute,
  hasFingerprint,
  isChannelData,
  StunMethod,
  verifyFingerprint,
} from '@rtcwire/stun';

/** What one packet from the server turned out to be; `drop` carries the DropCounters reason. */
export type Received =
  | { readonly kind: 'channel-data'; readonly channel: number; readonly data: Uint8Array }
  | { readonly kind: 'response'; readonly msg: DecodedStunMessage }
  | { readonly kind: 'data'; readonly peer: SocketAddress; readonly data: Uint8Array }
  | { readonly kind: 'drop'; readonly reason: string };

/**
 * Classify one packet (a UDP datagram, or one frame of the stream): ChannelData (RFC 8656 §12.6),
 * a response, or a Data indication (§10.4). Never throws for remote input.
 */
export function classifyPacket(bytes: Uint8Array): Received {
  if (isChannelData(bytes)) {
    try {
      const cd = decodeChannelData(bytes);
      return { kind: 'channel-data', channel: cd.channel, data: cd.data };
    } catch (err) {
      if (!isParseError(err)) throw err;
      return { kind: 'drop', reason: 'bad-channel-data' };
    }
  }
  let msg: DecodedStunMessage;
  try {
    msg = decodeStunMessage(bytes);
  } catch (err) {
    if (!isParseError(err)) throw err;
    return { kind: 'drop', reason: 'bad-stun' };
  }
  if (hasFingerprint(bytes) && !verifyFingerprint(bytes)) return { kind: 'drop', reason: 'bad-fingerprint' };
  if (msg.class === 'success' || msg.class === 'error') return { kind: 'response', msg };
  if (msg.class === 'request') return { kind: 'drop', reason: 'unexpected-request' };
  if (msg.method !== StunMethod.DATA) return { kind: 'drop', reason: 'unexpected-indication' };
  try {
    const peer = getAttribute(msg, Attr.XOR_PEER_ADDRESS);
    const data = getAttribute(msg, Attr.DATA);
    if (peer && data) return { kind: 'data', peer, data };
  } catch (err) {
    if (!isParseError(err)) throw err;
  }
  return { kind: 'drop', reason: 'bad-data-indication' };
}
