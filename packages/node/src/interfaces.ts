import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import type { AddressFamily } from '@rtcwire/common';

/** A usable local address for gathering host candidates. */
export interface LocalAddress {
  readonly interfaceName: string;
  readonly address: string;
  readonly family: AddressFamily;
  readonly internal: boolean;
  /** IPv6 scope id for link-local addresses (0 otherwise). */
  readonly scopeId: number;
}

export interface InterfaceFilter {
  /** Only this family; both when absent. */
  readonly family?: AddressFamily;
  /** Include 127.0.0.1 / ::1 (off by default: loopback is opt-in). */
  readonly includeLoopback?: boolean;
  /** Include IPv6 link-local fe80::/10 (off by default: needs a scope id to be reachable). */
  readonly includeLinkLocal?: boolean;
  /** Keep only these interface names, or those the predicate accepts. */
  readonly interfaces?: readonly string[] | ((name: string) => boolean);
  /** Source of interfaces; os.networkInterfaces() by default (injectable for tests). */
  readonly source?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

/** RFC 8445 §5.1.1.1: host candidates come from the host's interfaces; we skip unusable kinds. */
export function listLocalAddresses(filter: InterfaceFilter = {}): LocalAddress[] {
  const source = filter.source ?? networkInterfaces;
  const byName = source();
  const out: LocalAddress[] = [];
  for (const [name, infos] of Object.entries(byName)) {
    if (!infos || !nameAllowed(filter.interfaces, name)) continue;
    for (const info of infos) {
      const family: AddressFamily = info.family === 'IPv6' ? 'IPv6' : 'IPv4';
      if (filter.family && filter.family !== family) continue;
      if (info.internal && !filter.includeLoopback) continue;
      const linkLocal = family === 'IPv6' && /^fe[89ab]/i.test(info.address);
      if (linkLocal && !filter.includeLinkLocal) continue;
      // RFC 8445 §5.1.1.1: IPv4-mapped and site-local (deprecated fec0::/10) IPv6 are not used.
      if (family === 'IPv6' && (/^::ffff:/i.test(info.address) || /^fe[c-f]/i.test(info.address))) continue;
      out.push({
        interfaceName: name,
        address: info.address,
        family,
        internal: info.internal,
        scopeId: 'scopeid' in info && typeof info.scopeid === 'number' ? info.scopeid : 0,
      });
    }
  }
  return out;
}

function nameAllowed(rule: InterfaceFilter['interfaces'], name: string): boolean {
  if (rule === undefined) return true;
  return typeof rule === 'function' ? rule(name) : rule.includes(name);
}
