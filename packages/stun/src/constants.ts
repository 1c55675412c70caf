/** RFC 8489 §5: the fixed magic cookie in bytes 4..7 of every STUN message. */
export const MAGIC_COOKIE = 0x2112a442;
/** RFC 8489 §5: the fixed header size. */
export const STUN_HEADER_LENGTH = 20;
/** RFC 8489 §14.7: FINGERPRINT is the CRC-32 XOR this value ("STUN"). */
export const FINGERPRINT_XOR = 0x5354554e;

/** RFC 8489 §5: the two class bits of the message type. */
export type StunClass = 'request' | 'indication' | 'success' | 'error';

/** Method numbers: RFC 8489 §18.2 (Binding) and RFC 8656 §17 (TURN). */
export const StunMethod = {
  BINDING: 0x001,
  ALLOCATE: 0x003,
  REFRESH: 0x004,
  SEND: 0x006,
  DATA: 0x007,
  CREATE_PERMISSION: 0x008,
  CHANNEL_BIND: 0x009,
} as const;

/** Attribute type codes: RFC 8489 §18.3, RFC 8656 §18, RFC 8445 §16.1. */
export const AttrType = {
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  CHANNEL_NUMBER: 0x000c,
  LIFETIME: 0x000d,
  XOR_PEER_ADDRESS: 0x0012,
  DATA: 0x0013,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_ADDRESS_FAMILY: 0x0017,
  EVEN_PORT: 0x0018,
  REQUESTED_TRANSPORT: 0x0019,
  DONT_FRAGMENT: 0x001a,
  MESSAGE_INTEGRITY_SHA256: 0x001c,
  PASSWORD_ALGORITHM: 0x001d,
  USERHASH: 0x001e,
  XOR_MAPPED_ADDRESS: 0x0020,
  RESERVATION_TOKEN: 0x0022,
  PRIORITY: 0x0024,
  USE_CANDIDATE: 0x0025,
  PASSWORD_ALGORITHMS: 0x8002,
  ALTERNATE_DOMAIN: 0x8003,
  ADDITIONAL_ADDRESS_FAMILY: 0x8000,
  ADDRESS_ERROR_CODE: 0x8001,
  ICMP: 0x8004,
  SOFTWARE: 0x8022,
  ALTERNATE_SERVER: 0x8023,
  FINGERPRINT: 0x8028,
  ICE_CONTROLLED: 0x8029,
  ICE_CONTROLLING: 0x802a,
} as const;

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(AttrType));

/** RFC 8489 §14: types 0x0000–0x7FFF are comprehension-required. */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

/** True when this package knows the attribute type. */
export function isKnownAttribute(type: number): boolean {
  return KNOWN_TYPES.has(type);
}

/** Error codes used by STUN/TURN (RFC 8489 §14.8, RFC 8656 §19). */
export const StunErrorCode = {
  TRY_ALTERNATE: 300,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  MOBILITY_FORBIDDEN: 405,
  UNKNOWN_ATTRIBUTE: 420,
  ALLOCATION_MISMATCH: 437,
  STALE_NONCE: 438,
  ADDRESS_FAMILY_NOT_SUPPORTED: 440,
  WRONG_CREDENTIALS: 441,
  UNSUPPORTED_TRANSPORT_PROTOCOL: 442,
  PEER_ADDRESS_FAMILY_MISMATCH: 443,
  ALLOCATION_QUOTA_REACHED: 486,
  ROLE_CONFLICT: 487,
  SERVER_ERROR: 500,
  INSUFFICIENT_CAPACITY: 508,
} as const;

/** RFC 8489 §18.5: PASSWORD-ALGORITHM values. */
export const PasswordAlgorithm = { MD5: 0x0001, SHA256: 0x0002 } as const;

/** RFC 8656 §18.7 / §18.8: address family values in REQUESTED-ADDRESS-FAMILY etc. */
export const AddressFamilyCode = { IPv4: 0x01, IPv6: 0x02 } as const;

/** IANA protocol number for UDP, the only REQUESTED-TRANSPORT value in RFC 8656 §18.7. */
export const TRANSPORT_UDP = 17;
