import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { listLocalAddresses } from '../src/interfaces.js';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: null,
});
const v6 = (address: string, internal = false, scopeid = 0): NetworkInterfaceInfo => ({
  address,
  netmask: 'ffff:ffff:ffff:ffff::',
  family: 'IPv6',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: null,
  scopeid,
});
const source = () => ({
  lo: [v4('127.0.0.1', true), v6('::1', true)],
  eth0: [v4('192.0.2.2'), v6('fd00::2'), v6('fe80::1', false, 4)],
  docker0: [v4('172.17.0.1')],
});

describe('listLocalAddresses', () => {
  it('excludes loopback and link-local by default', () => {
    expect(listLocalAddresses({ source }).map((a) => a.address)).toEqual(['192.0.2.2', 'fd00::2', '172.17.0.1']);
  });
  it('includes loopback when asked', () => {
    const all = listLocalAddresses({ source, includeLoopback: true }).map((a) => a.address);
    expect(all).toContain('127.0.0.1');
    expect(all).toContain('::1');
  });
  it('includes link-local with its scope id when asked', () => {
    const ll = listLocalAddresses({ source, includeLinkLocal: true }).find((a) => a.address === 'fe80::1');
    expect(ll).toMatchObject({ interfaceName: 'eth0', scopeId: 4, family: 'IPv6' });
  });
  it('filters by family and interface name list or predicate', () => {
    expect(listLocalAddresses({ source, family: 'IPv4' }).map((a) => a.address)).toEqual(['192.0.2.2', '172.17.0.1']);
    expect(listLocalAddresses({ source, interfaces: ['docker0'] }).map((a) => a.address)).toEqual(['172.17.0.1']);
    expect(
      listLocalAddresses({ source, interfaces: (n) => !n.startsWith('docker'), family: 'IPv6' }).map((a) => a.address),
    ).toEqual(['fd00::2']);
  });
  it('reads the real interfaces: loopback appears only when opted in', () => {
    expect(listLocalAddresses().some((a) => a.internal)).toBe(false);
    expect(listLocalAddresses({ includeLoopback: true }).some((a) => a.address === '127.0.0.1')).toBe(true);
  });
});
