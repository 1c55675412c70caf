/** Wire constants for DTLS 1.2 (RFC 6347, RFC 5246 and extension RFCs). */

/** ContentType (RFC 5246 §6.2.1). */
export const ContentType = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;

/** HandshakeType (RFC 5246 §7.4, RFC 6347 §4.3.2). */
export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
} as const;

/** ProtocolVersion on the wire: DTLS 1.0 = {254,255}, DTLS 1.2 = {254,253} (RFC 6347 §4.1). */
export const DTLS_1_0 = 0xfeff;
export const DTLS_1_2 = 0xfefd;

/** ExtensionType values this stack understands. */
export const ExtensionType = {
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  use_srtp: 14,
  extended_master_secret: 23,
  supported_versions: 43,
  key_share: 51,
  renegotiation_info: 0xff01,
} as const;

/** Record header length: type(1) version(2) epoch(2) sequence_number(6) length(2). */
export const RECORD_HEADER_LENGTH = 13;
/** Handshake header length: msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3). */
export const HANDSHAKE_HEADER_LENGTH = 12;
/** RFC 6347 §4.1: records carry at most 2^14 bytes of plaintext (+2048 of expansion for ciphertext). */
export const MAX_PLAINTEXT = 16384;
export const MAX_CIPHERTEXT = 16384 + 2048;
