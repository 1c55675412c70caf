import type { SocketAddress } from '@rtcwire/common';
import {
  Attr,
  type DecodedStunMessage,
  encodeStunMessage,
  getAttribute,
  makeAttribute,
  type StunAttribute,
  StunMethod,
  shortTermKey,
} from '@rtcwire/stun';

/** Credentials of one ICE session generation (changes on ICE restart). */
export interface Credentials {
  readonly localUfrag: string;
  readonly localPwd: string;
  readonly remoteUfrag: string;
  readonly remotePwd: string;
}

export interface CheckRequest {
  readonly transactionId: Uint8Array;
  readonly credentials: Credentials;
  /** RFC 8445 §7.2.2: priority the peer would give a peer-reflexive candidate learnt from this check. */
  readonly priority: number;
  readonly controlling: boolean;
  readonly tieBreaker: bigint;
  readonly useCandidate: boolean;
}

/** RFC 8445 §7.2.2: a connectivity check (Binding request, short-term credentials, FINGERPRINT). */
export function encodeCheckRequest(r: CheckRequest): Uint8Array {
  const attributes: StunAttribute[] = [
    makeAttribute(Attr.USERNAME, `${r.credentials.remoteUfrag}:${r.credentials.localUfrag}`),
    makeAttribute(Attr.PRIORITY, r.priority),
    r.controlling
      ? makeAttribute(Attr.ICE_CONTROLLING, r.tieBreaker)
      : makeAttribute(Attr.ICE_CONTROLLED, r.tieBreaker),
  ];
  if (r.useCandidate) attributes.push(makeAttribute(Attr.USE_CANDIDATE, true));
  return encodeStunMessage(
    { class: 'request', method: StunMethod.BINDING, transactionId: r.transactionId, attributes },
    { integrity: { key: shortTermKey(r.credentials.remotePwd) }, fingerprint: true },
  );
}

/** RFC 8445 §7.3.1.2 / RFC 8489 §7.3.1: success response with the source seen, signed with our password. */
export function encodeCheckSuccess(request: DecodedStunMessage, source: SocketAddress, localPwd: string): Uint8Array {
  return encodeStunMessage(
    {
      class: 'success',
      method: StunMethod.BINDING,
      transactionId: request.transactionId,
      attributes: [makeAttribute(Attr.XOR_MAPPED_ADDRESS, source, request.transactionId)],
    },
    { integrity: { key: shortTermKey(localPwd) }, fingerprint: true },
  );
}

/** An error response (e.g. 487 Role Conflict, §7.3.1.1; 400 Bad Request), signed when a key is given. */
export function encodeCheckError(
  request: DecodedStunMessage,
  code: number,
  reason: string,
  localPwd: string | undefined,
): Uint8Array {
  return encodeStunMessage(
    {
      class: 'error',
      method: StunMethod.BINDING,
      transactionId: request.transactionId,
      attributes: [makeAttribute(Attr.ERROR_CODE, { code, reason })],
    },
    localPwd !== undefined ? { integrity: { key: shortTermKey(localPwd) }, fingerprint: true } : { fingerprint: true },
  );
}

/** RFC 8489 §7.3: a plain Binding request to a STUN server (server-reflexive gathering, no auth). */
export function encodeServerBindingRequest(transactionId: Uint8Array): Uint8Array {
  return encodeStunMessage(
    { class: 'request', method: StunMethod.BINDING, transactionId, attributes: [] },
    { fingerprint: true },
  );
}

/** The role attribute of a request: which role the sender claims and its tie-breaker. */
export function requestRole(m: DecodedStunMessage): { controlling: boolean; tieBreaker: bigint } | undefined {
  const controlling = getAttribute(m, Attr.ICE_CONTROLLING);
  if (controlling !== undefined) return { controlling: true, tieBreaker: controlling };
  const controlled = getAttribute(m, Attr.ICE_CONTROLLED);
  if (controlled !== undefined) return { controlling: false, tieBreaker: controlled };
  return undefined;
}
