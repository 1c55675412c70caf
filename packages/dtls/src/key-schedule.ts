import { concatBytes } from '@rtcwire/common';
import type { CipherSuite } from './cipher-suites.js';
import { type HashName, computeKeyBlock, computeMasterSecret, computeVerifyData, digest } from './prf.js';
import { type DirectionalKeys, deriveRecordProtection, keyBlockLength } from './record-cipher.js';

/** Secrets of an established session, kept for Finished and the RFC 5705 exporter. */
export interface SessionSecrets {
  readonly suite: CipherSuite;
  readonly hash: HashName;
  readonly master: Uint8Array;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  readonly keys: DirectionalKeys;
}

/**
 * From pre-master secret to record keys (RFC 5246 §8.1, §6.3). With `extendedMasterSecret` the
 * master secret covers the session hash = Hash(transcript through ClientKeyExchange) (RFC 7627 §4).
 */
export function deriveSession(
  suite: CipherSuite,
  preMaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  transcriptThroughKeyExchange: readonly Uint8Array[],
  extendedMasterSecret: boolean,
): SessionSecrets {
  const sessionHash = extendedMasterSecret ? digest(suite.hash, transcriptThroughKeyExchange) : undefined;
  const master = computeMasterSecret(suite.hash, preMaster, clientRandom, serverRandom, sessionHash);
  const keyBlock = computeKeyBlock(suite.hash, master, clientRandom, serverRandom, keyBlockLength(suite));
  return { suite, hash: suite.hash, master, clientRandom, serverRandom, keys: deriveRecordProtection(suite, keyBlock) };
}

/** verify_data for the Finished of `client` (or server) over the transcript so far. */
export function finishedVerifyData(
  session: SessionSecrets,
  client: boolean,
  transcript: readonly Uint8Array[],
): Uint8Array {
  return computeVerifyData(session.hash, session.master, client, digest(session.hash, transcript));
}

/** Concatenate the transcript (the data a CertificateVerify signs, RFC 5246 §7.4.8). */
export function transcriptBytes(transcript: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...transcript);
}
