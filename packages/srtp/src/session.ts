/**
 * Both directions from a DTLS-SRTP exported keying block (RFC 5764 §4.2):
 * client_write_SRTP_master_key | server_write_SRTP_master_key | client_write_SRTP_master_salt |
 * server_write_SRTP_master_salt. The client protects with the client key; the server with the server key.
 */
import { InvalidArgumentError } from '@rtcwire/common';
import { type SrtpProfileInfo, type SrtpProfileName, srtpProfile } from './profiles.js';
import { SrtpProtectContext } from './protect-context.js';
import { SrtpUnprotectContext, type SrtpUnprotectOptions } from './unprotect-context.js';

export type DtlsRole = 'client' | 'server';

export interface SrtpSession {
  /** Protects what we send. */
  readonly local: SrtpProtectContext;
  /** Unprotects what the peer sends. */
  readonly remote: SrtpUnprotectContext;
}

/** Bytes to export from DTLS with label "EXTRACTOR-dtls_srtp" for `profile`: 2 * (key + salt). */
export function keyingMaterialLength(profile: SrtpProfileName | SrtpProfileInfo): number {
  const p = typeof profile === 'string' ? srtpProfile(profile) : profile;
  if (p === undefined) throw new InvalidArgumentError(`srtp: unknown profile ${String(profile)}`);
  return 2 * (p.masterKeyLength + p.masterSaltLength);
}

export function srtpSessionFromKeyingMaterial(
  profile: SrtpProfileName | SrtpProfileInfo,
  material: Uint8Array,
  role: DtlsRole,
  options: SrtpUnprotectOptions = {},
): SrtpSession {
  const p = typeof profile === 'string' ? srtpProfile(profile) : profile;
  if (p === undefined) throw new InvalidArgumentError(`srtp: unknown profile ${String(profile)}`);
  const k = p.masterKeyLength;
  const s = p.masterSaltLength;
  if (material.length !== 2 * (k + s)) {
    throw new InvalidArgumentError(`srtp: ${p.name} keying material must be ${2 * (k + s)} bytes`);
  }
  const clientKey = material.slice(0, k);
  const serverKey = material.slice(k, 2 * k);
  const clientSalt = material.slice(2 * k, 2 * k + s);
  const serverSalt = material.slice(2 * k + s, 2 * (k + s));
  const [localKey, localSalt, remoteKey, remoteSalt] =
    role === 'client' ? [clientKey, clientSalt, serverKey, serverSalt] : [serverKey, serverSalt, clientKey, clientSalt];
  const ctxOptions = options.backend === undefined ? {} : { backend: options.backend };
  return {
    local: new SrtpProtectContext(p, localKey, localSalt, ctxOptions),
    remote: new SrtpUnprotectContext(p, remoteKey, remoteSalt, options),
  };
}
