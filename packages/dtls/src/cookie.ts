import { createHmac } from 'node:crypto';
import { timingSafeEqualBytes } from '@rtcwire/common';
import type { ClientHello } from './handshake/hello.js';

/**
 * Stateless HelloVerifyRequest cookies (RFC 6347 §4.2.1): HMAC-SHA256 under a server secret over
 * the ClientHello parameters (everything but the cookie) and an optional caller context such as
 * the client's transport address. Nothing is stored between the two ClientHellos.
 */
export function computeCookie(secret: Uint8Array, hello: ClientHello, context?: Uint8Array): Uint8Array {
  const h = createHmac('sha256', secret);
  if (context) h.update(context);
  const head = new Uint8Array(2);
  head[0] = hello.clientVersion >> 8;
  head[1] = hello.clientVersion & 0xff;
  h.update(head).update(hello.random).update(hello.sessionId);
  h.update(Uint8Array.from(hello.cipherSuites.flatMap((s) => [s >> 8, s & 0xff])));
  h.update(Uint8Array.from(hello.compressionMethods));
  for (const e of hello.extensions) {
    h.update(Uint8Array.from([e.type >> 8, e.type & 0xff, e.data.byteLength >> 8, e.data.byteLength & 0xff]));
    h.update(e.data);
  }
  return h.digest();
}

export function verifyCookie(secret: Uint8Array, hello: ClientHello, context?: Uint8Array): boolean {
  if (hello.cookie.byteLength !== 32) return false;
  return timingSafeEqualBytes(hello.cookie, computeCookie(secret, hello, context));
}
