import type { StunMessage } from '../message.js';
import { isComprehensionRequired, isKnownAttribute } from '../constants.js';
import * as address from './address.js';
import * as basic from './basic.js';
import * as structured from './structured.js';

export * from './codec.js';
export type { AddressErrorCodeValue, ErrorCodeValue, IcmpValue, PasswordAlgorithmValue } from './structured.js';

/**
 * Typed codecs for every attribute this package knows, by RFC name:
 * `getAttribute(msg, Attr.XOR_MAPPED_ADDRESS)`, `makeAttribute(Attr.USERNAME, 'alice')`.
 */
export const Attr = {
  MAPPED_ADDRESS: address.MAPPED_ADDRESS,
  XOR_MAPPED_ADDRESS: address.XOR_MAPPED_ADDRESS,
  ALTERNATE_SERVER: address.ALTERNATE_SERVER,
  XOR_PEER_ADDRESS: address.XOR_PEER_ADDRESS,
  XOR_RELAYED_ADDRESS: address.XOR_RELAYED_ADDRESS,
  USERNAME: basic.USERNAME,
  USERHASH: basic.USERHASH,
  REALM: basic.REALM,
  NONCE: basic.NONCE,
  SOFTWARE: basic.SOFTWARE,
  ALTERNATE_DOMAIN: basic.ALTERNATE_DOMAIN,
  MESSAGE_INTEGRITY: basic.MESSAGE_INTEGRITY,
  MESSAGE_INTEGRITY_SHA256: basic.MESSAGE_INTEGRITY_SHA256,
  FINGERPRINT: basic.FINGERPRINT,
  ERROR_CODE: structured.ERROR_CODE,
  UNKNOWN_ATTRIBUTES: structured.UNKNOWN_ATTRIBUTES,
  PASSWORD_ALGORITHM: structured.PASSWORD_ALGORITHM,
  PASSWORD_ALGORITHMS: structured.PASSWORD_ALGORITHMS,
  PRIORITY: basic.PRIORITY,
  USE_CANDIDATE: basic.USE_CANDIDATE,
  ICE_CONTROLLED: basic.ICE_CONTROLLED,
  ICE_CONTROLLING: basic.ICE_CONTROLLING,
  CHANNEL_NUMBER: structured.CHANNEL_NUMBER,
  LIFETIME: basic.LIFETIME,
  DATA: basic.DATA,
  REQUESTED_ADDRESS_FAMILY: structured.REQUESTED_ADDRESS_FAMILY,
  EVEN_PORT: structured.EVEN_PORT,
  REQUESTED_TRANSPORT: structured.REQUESTED_TRANSPORT,
  DONT_FRAGMENT: basic.DONT_FRAGMENT,
  RESERVATION_TOKEN: basic.RESERVATION_TOKEN,
  ADDITIONAL_ADDRESS_FAMILY: structured.ADDITIONAL_ADDRESS_FAMILY,
  ADDRESS_ERROR_CODE: structured.ADDRESS_ERROR_CODE,
  ICMP: structured.ICMP,
} as const;

/**
 * RFC 8489 §6.3.1/§14: comprehension-required attribute types (0x0000–0x7FFF) that this package
 * does not know, in order and without duplicates — the content of a 420 response's UNKNOWN-ATTRIBUTES.
 * Unknown comprehension-optional attributes are simply kept in `attributes` and ignored.
 */
export function unknownRequiredAttributes(
  msg: StunMessage,
  known: (type: number) => boolean = isKnownAttribute,
): number[] {
  const out: number[] = [];
  for (const a of msg.attributes) {
    if (isComprehensionRequired(a.type) && !known(a.type) && !out.includes(a.type)) out.push(a.type);
  }
  return out;
}
