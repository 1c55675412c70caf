export * from './constants.js';
export * from './message.js';
export * from './attributes/index.js';
export {
  shortTermKey,
  longTermKey,
  verifyIntegrity,
  verifyFingerprint,
  hasFingerprint,
  type IntegrityAlgorithm,
  type KeyAlgorithm,
} from './integrity.js';
export { saslPrep } from './saslprep.js';
export { crc32 } from './crc32.js';
export { parseIPv4, parseIPv6, formatIPv4, formatIPv6 } from './ip.js';
export * from './transaction.js';
export * from './channel-data.js';
export * from './stream-framer.js';
