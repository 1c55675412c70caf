/**
 * Turns `rtcwire dtls` options into DtlsClient/DtlsServer options: credential (files or a fresh
 * self-signed certificate), peer verification (fingerprint, PKI roots, or none), PSK, SRTP
 * profiles, MTU, cipher suites.
 */
import { readFileSync } from 'node:fs';
import {
  createAcceptAnyVerifier,
  createFingerprintVerifier,
  createPkiVerifier,
  type DtlsCredential,
  generateCertificate,
  loadPemCredential,
  type PeerVerifier,
  SRTP_PROFILES,
} from '@rtcwire/dtls';
import { intOption, type ParsedArgs } from '../args.js';
import { UsageError } from '../command.js';

export const DTLS_OPTION_SPEC = {
  cert: true,
  key: true,
  ca: true,
  fingerprint: true,
  'psk-identity': true,
  psk: true,
  srtp: true,
  mtu: true,
  cipher: true,
  timeout: true,
  json: false,
  'require-client-cert': false,
  once: false,
} as const;

export interface CommonDtlsSettings {
  readonly credential: DtlsCredential | undefined;
  readonly verifier: PeerVerifier | undefined;
  /** True when the peer is authenticated neither by fingerprint nor by PKI. */
  readonly unverified: boolean;
  readonly psk: { readonly identity: Uint8Array; readonly key: Uint8Array } | undefined;
  readonly srtpProfiles: readonly number[] | undefined;
  readonly mtu: number | undefined;
  readonly cipherSuites: readonly string[] | undefined;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} '${path}': ${(err as Error).message}`);
  }
}

function parsePsk(parsed: ParsedArgs): CommonDtlsSettings['psk'] {
  const identity = parsed.values.get('psk-identity');
  const hex = parsed.values.get('psk');
  if (identity === undefined && hex === undefined) return undefined;
  if (identity === undefined || hex === undefined) throw new UsageError('--psk and --psk-identity go together');
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError('--psk must be an even number of hex digits');
  return { identity: new TextEncoder().encode(identity), key: new Uint8Array(Buffer.from(hex, 'hex')) };
}

function parseSrtp(parsed: ParsedArgs): number[] | undefined {
  const text = parsed.values.get('srtp');
  if (text === undefined) return undefined;
  return text.split(',').map((name) => {
    const profile = SRTP_PROFILES.find((p) => p.name === name.trim());
    if (!profile)
      throw new UsageError(`unknown SRTP profile '${name}' (known: ${SRTP_PROFILES.map((p) => p.name).join(', ')})`);
    return profile.id;
  });
}

/** Reads files and builds what both roles share. `purpose` = what the PEER's certificate must be for. */
export async function commonSettings(
  parsed: ParsedArgs,
  purpose: 'serverAuth' | 'clientAuth',
  needsCertificate: boolean,
): Promise<CommonDtlsSettings> {
  const certPath = parsed.values.get('cert');
  const keyPath = parsed.values.get('key');
  if ((certPath === undefined) !== (keyPath === undefined)) throw new UsageError('--cert and --key go together');
  let credential: DtlsCredential | undefined;
  if (certPath !== undefined && keyPath !== undefined) {
    try {
      credential = loadPemCredential(readText(certPath, 'certificate'), readText(keyPath, 'key'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`bad --cert/--key: ${(err as Error).message}`);
    }
  } else if (needsCertificate) {
    credential = await generateCertificate({ now: new Date(), commonName: 'rtcwire' });
  }

  const caPath = parsed.values.get('ca');
  const fingerprints = parsed.values.get('fingerprint');
  let verifier: PeerVerifier | undefined;
  if (caPath !== undefined && fingerprints !== undefined)
    throw new UsageError('use either --ca or --fingerprint, not both');
  try {
    if (caPath !== undefined) {
      verifier = createPkiVerifier({ trusted: [readText(caPath, 'CA file')], purpose, now: () => new Date() });
    } else if (fingerprints !== undefined) {
      verifier = createFingerprintVerifier({ fingerprints: fingerprints.split(',').map((f) => f.trim()) });
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`bad ${caPath !== undefined ? '--ca' : '--fingerprint'}: ${(err as Error).message}`);
  }
  const cipher = parsed.values.get('cipher');
  const mtu = parsed.values.has('mtu') ? intOption(parsed, 'mtu', 1200, 65507) : undefined;
  return {
    credential,
    verifier: verifier ?? createAcceptAnyVerifier(),
    unverified: verifier === undefined,
    psk: parsePsk(parsed),
    srtpProfiles: parseSrtp(parsed),
    mtu,
    cipherSuites: cipher === undefined ? undefined : cipher.split(',').map((c) => c.trim()),
  };
}
