import { AlertDescription, FatalAlert } from './alert.js';
import { type CipherSuite, EMPTY_RENEGOTIATION_INFO_SCSV } from './cipher-suites.js';
import { DTLS_1_2, ExtensionType } from './constants.js';
import { NamedGroup } from './ecdhe.js';
import {
  decodeRenegotiationInfo,
  decodeSignatureAlgorithms,
  decodeSupportedGroups,
  decodeUseSrtp,
  findExtension,
} from './handshake/extensions.js';
import type { ClientHello } from './handshake/hello.js';
import { chooseSignatureScheme } from './signature.js';
import { chooseSrtpProfile } from './srtp-profiles.js';
import type { DtlsCredential } from './types.js';

/** What the server picked from a ClientHello. */
export interface ServerChoice {
  readonly suite: CipherSuite;
  readonly group: number | undefined;
  readonly signatureScheme: number | undefined;
  readonly extendedMasterSecret: boolean;
  readonly secureRenegotiation: boolean;
  readonly srtpProfile: number | undefined;
  readonly clientOfferedPointFormats: boolean;
}

export interface ServerPolicy {
  readonly suites: readonly CipherSuite[];
  readonly groups: readonly number[];
  readonly srtpProfiles: readonly number[];
  readonly credential: DtlsCredential | undefined;
  readonly pskEnabled: boolean;
  readonly requireExtendedMasterSecret: boolean;
}

/**
 * Negotiate from a ClientHello by the SERVER's preference order (suites, groups, SRTP profiles).
 * DTLS 1.3 `supported_versions` / `key_share` are ignored, so a 1.3-capable client (Chrome) gets a
 * DTLS 1.2 answer. Throws FatalAlert when nothing acceptable is offered.
 */
export function negotiate(hello: ClientHello, policy: ServerPolicy): ServerChoice {
  // DTLS versions count down: 1.0 = 0xfeff > 1.2 = 0xfefd (RFC 6347 §4.1).
  if (hello.clientVersion > DTLS_1_2)
    throw new FatalAlert(AlertDescription.protocol_version, 'client offers only DTLS 1.0');
  if (!hello.compressionMethods.includes(0))
    throw new FatalAlert(AlertDescription.illegal_parameter, 'null compression not offered');
  const ext = (t: number) => findExtension(hello.extensions, t);
  const groupsExt = ext(ExtensionType.supported_groups);
  // RFC 8422 §4: without supported_groups assume the client accepts secp256r1.
  const clientGroups = groupsExt ? decodeSupportedGroups(groupsExt.data) : [NamedGroup.secp256r1];
  const sigExt = ext(ExtensionType.signature_algorithms);
  const clientSchemes = sigExt ? decodeSignatureAlgorithms(sigExt.data) : undefined;
  const group = policy.groups.find((g) => clientGroups.includes(g));
  const key = policy.credential?.privateKey;
  const signatureScheme = key ? chooseSignatureScheme(key, clientSchemes) : undefined;

  const suite = policy.suites.find((s) => {
    if (!hello.cipherSuites.includes(s.id)) return false;
    if (s.keyExchange === 'psk') return policy.pskEnabled;
    if (group === undefined || signatureScheme === undefined || !key) return false;
    return (s.keyExchange === 'ecdhe_ecdsa') === (key.asymmetricKeyType === 'ec');
  });
  if (!suite) throw new FatalAlert(AlertDescription.handshake_failure, 'no acceptable cipher suite');

  const extendedMasterSecret = ext(ExtensionType.extended_master_secret) !== undefined;
  if (!extendedMasterSecret && policy.requireExtendedMasterSecret) {
    throw new FatalAlert(AlertDescription.handshake_failure, 'client does not offer extended master secret');
  }
  const reneg = ext(ExtensionType.renegotiation_info);
  if (reneg && decodeRenegotiationInfo(reneg.data).byteLength !== 0) {
    throw new FatalAlert(AlertDescription.handshake_failure, 'non-empty renegotiation_info on an initial handshake');
  }
  const srtpExt = ext(ExtensionType.use_srtp);
  const srtpProfile = srtpExt
    ? chooseSrtpProfile(policy.srtpProfiles, decodeUseSrtp(srtpExt.data).profiles)
    : undefined;
  const ecdhe = suite.keyExchange !== 'psk';
  return {
    suite,
    group: ecdhe ? group : undefined,
    signatureScheme: ecdhe ? signatureScheme : undefined,
    extendedMasterSecret,
    secureRenegotiation: reneg !== undefined || hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV),
    srtpProfile,
    clientOfferedPointFormats: ext(ExtensionType.ec_point_formats) !== undefined,
  };
}
