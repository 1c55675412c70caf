export type { CipherFactory, CmCipher, GcmCipher } from './cipher.js';
export { defaultSrtpBackend, type SrtpBackend, type SrtpContextOptions } from './context-base.js';
export { deriveKey, deriveSessionKeys, LABEL, type SessionKeys } from './kdf.js';
export { SRTP_PROFILES, type SrtpProfileInfo, type SrtpProfileName, srtpProfile } from './profiles.js';
export { SrtpProtectContext } from './protect-context.js';
export { estimateIndex, type ReplayCheck, ReplayWindow } from './replay-window.js';
export {
  FAILURES,
  type SrtpFailureReason,
  type UnprotectFailure,
  type UnprotectResult,
  type UnprotectSuccess,
} from './result.js';
export {
  type DtlsRole,
  keyingMaterialLength,
  type SrtpSession,
  srtpSessionFromKeyingMaterial,
} from './session.js';
export { SrtpUnprotectContext, type SrtpUnprotectOptions } from './unprotect-context.js';
