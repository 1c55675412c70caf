import { InvalidArgumentError } from '@rtcwire/common';
import { CIPHER_SUITES, type CipherSuite, cipherSuiteByName } from './cipher-suites.js';
import { type GroupName, NamedGroup } from './ecdhe.js';

export const DEFAULT_GROUPS: readonly GroupName[] = ['x25519', 'secp256r1', 'secp384r1'];

export function resolveGroups(groups: readonly GroupName[] | undefined): number[] {
  return (groups ?? DEFAULT_GROUPS).map((g) => {
    const code = NamedGroup[g];
    if (code === undefined) throw new InvalidArgumentError(`unknown group ${g}`);
    return code;
  });
}

/** Suites by name in the given order; default: every implemented suite that `usable` allows. */
export function resolveSuites(
  names: readonly string[] | undefined,
  usable: (s: CipherSuite) => boolean,
): CipherSuite[] {
  if (!names) return CIPHER_SUITES.filter(usable);
  return names.map((n) => {
    const s = cipherSuiteByName(n);
    if (!s) throw new InvalidArgumentError(`unknown cipher suite ${n}`);
    return s;
  });
}
