export * from './alert.js';
export * from './types.js';
export * from './events.js';
export { DtlsClient, type DtlsClientOptions } from './client.js';
export { DtlsServer, type DtlsServerOptions } from './server.js';
export { DtlsConnection, type DtlsBaseOptions } from './connection.js';
export { CIPHER_SUITES, type CipherSuite, cipherSuiteById, cipherSuiteByName } from './cipher-suites.js';
export { NamedGroup, type GroupName } from './ecdhe.js';
export { SignatureScheme } from './signature.js';
export {
  SRTP_PROFILES,
  DEFAULT_SRTP_PROFILES,
  type SrtpProfile,
  type SrtpKeys,
  srtpProfileById,
  srtpKeyingMaterialLength,
  splitSrtpKeyingMaterial,
} from './srtp-profiles.js';
export { computeCookie, verifyCookie } from './cookie.js';
export { ContentType, HandshakeType, DTLS_1_0, DTLS_1_2 } from './constants.js';
export { type DtlsRecord, decodeRecords, encodeRecord } from './record.js';
export { prf, exportKeyingMaterial } from './prf.js';
export * from './certificate/index.js';
