import { type SocketAddress, socketAddress } from '@rtcwire/common';
import {
  Attr,
  type DecodedStunMessage,
  decodeStunMessage,
  encodeStunMessage,
  longTermKey,
  makeAttribute,
  type StunAttribute,
  StunMethod,
  verifyIntegrity,
} from '@rtcwire/stun';
import type { TurnClient, TurnEvent } from '../../src/turn/index.js';

/** Test helper: a hand-scripted TURN server built from the stun encoder (no I/O). */
export const SERVER = socketAddress('198.51.100.1', 3478);
export const RELAYED = socketAddress('198.51.100.1', 50000);
export const MAPPED = socketAddress('203.0.113.5', 40000);
export const USER = 'user';
export const PASS = 'pass';
export const REALM = 'example.org';
export const KEY = longTermKey(USER, REALM, PASS);

export function drainTransmit(client: TurnClient): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let d = client.pollTransmit(); d; d = client.pollTransmit()) out.push(d.data);
  return out;
}

export function drainEvents(client: TurnClient): TurnEvent[] {
  const out: TurnEvent[] = [];
  for (let e = client.pollEvent(); e; e = client.pollEvent()) out.push(e);
  return out;
}

/** The single request the client sent, decoded. */
export function oneRequest(client: TurnClient): DecodedStunMessage {
  const out = drainTransmit(client);
  if (out.length !== 1) throw new Error(`expected one message, got ${out.length}`);
  return decodeStunMessage(out[0] as Uint8Array);
}

export function reply(
  req: DecodedStunMessage,
  cls: 'success' | 'error',
  attributes: StunAttribute[],
  key: Uint8Array | null = KEY,
): Uint8Array {
  return encodeStunMessage(
    { class: cls, method: req.method, transactionId: req.transactionId, attributes },
    key ? { integrity: { key }, fingerprint: true } : { fingerprint: true },
  );
}

/** An error response, unsigned unless `key` is given (as a 401/438 must be). */
export function errorReply(
  req: DecodedStunMessage,
  code: number,
  extra: StunAttribute[] = [],
  key: Uint8Array | null = null,
): Uint8Array {
  return reply(req, 'error', [makeAttribute(Attr.ERROR_CODE, { code, reason: `E${code}` }), ...extra], key);
}

export function unauthorized(req: DecodedStunMessage, nonce = 'nonce-1'): Uint8Array {
  return errorReply(req, 401, [makeAttribute(Attr.REALM, REALM), makeAttribute(Attr.NONCE, nonce)]);
}

export function allocateSuccess(req: DecodedStunMessage, lifetimeS = 600): Uint8Array {
  const tid = req.transactionId;
  return reply(req, 'success', [
    makeAttribute(Attr.XOR_RELAYED_ADDRESS, RELAYED, tid),
    makeAttribute(Attr.XOR_MAPPED_ADDRESS, MAPPED, tid),
    makeAttribute(Attr.LIFETIME, lifetimeS),
  ]);
}

export function dataIndication(peer: SocketAddress, data: Uint8Array): Uint8Array {
  const tid = new Uint8Array(12).fill(9);
  return encodeStunMessage({
    class: 'indication',
    method: StunMethod.DATA,
    transactionId: tid,
    attributes: [makeAttribute(Attr.XOR_PEER_ADDRESS, peer, tid), makeAttribute(Attr.DATA, data)],
  });
}

export function isAuthenticated(req: DecodedStunMessage): boolean {
  return verifyIntegrity(req.raw, KEY);
}

/** Deliver server bytes to the client over UDP. */
export function deliver(client: TurnClient, now: number, bytes: Uint8Array): void {
  client.handleDatagram(now, { local: socketAddress('0.0.0.0', 0), remote: SERVER, data: bytes });
}

/** Run the 401 → authenticated Allocate → success exchange; returns the client's events. */
export function allocateWithAuth(client: TurnClient, now: number, lifetimeS = 600): TurnEvent[] {
  client.allocate(now);
  const first = oneRequest(client);
  deliver(client, now, unauthorized(first));
  const second = oneRequest(client);
  deliver(client, now, allocateSuccess(second, lifetimeS));
  return drainEvents(client);
}
