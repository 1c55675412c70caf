import { isParseError } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { candidatePriority, formatCandidate, isMdnsName, localPreferenceOf, parseCandidate } from '../src/index.js';

describe('candidate priority (RFC 8445 §5.1.2.1)', () => {
  it('matches the well-known values for component 1 with local preference 65535', () => {
    expect(candidatePriority('host', 65535)).toBe(2130706431);
    expect(candidatePriority('prflx', 65535)).toBe(1862270975);
    expect(candidatePriority('srflx', 65535)).toBe(1694498815);
    expect(candidatePriority('relay', 65535)).toBe(16777215);
    expect(candidatePriority('host', 65535, 2)).toBe(2130706430);
    expect(localPreferenceOf(candidatePriority('srflx', 1234))).toBe(1234);
  });
});

describe('candidate attribute parse/format (RFC 8839 §5.1)', () => {
  it('parses a host candidate', () => {
    expect(parseCandidate('candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host')).toEqual({
      foundation: '1',
      component: 1,
      protocol: 'udp',
      priority: 2122260223,
      address: '192.0.2.1',
      port: 54321,
      type: 'host',
    });
  });

  it('parses srflx with raddr/rport and keeps extensions in order', () => {
    const line =
      'a=candidate:842163049 1 udp 1677729535 203.0.113.7 61764 typ srflx raddr 10.0.0.2 rport 61764 generation 0 ufrag EsAw network-cost 999';
    const c = parseCandidate(line);
    expect(c).toMatchObject({ type: 'srflx', relatedAddress: '10.0.0.2', relatedPort: 61764, address: '203.0.113.7' });
    expect(c.extensions).toEqual([
      ['generation', '0'],
      ['ufrag', 'EsAw'],
      ['network-cost', '999'],
    ]);
    expect(formatCandidate(c)).toBe(line.slice(2));
  });

  it('parses TCP candidates with tcptype (kept, not used) and IPv6 / mDNS addresses', () => {
    const tcp = parseCandidate('candidate:2 1 TCP 1518280447 2001:db8::1 9 typ host tcptype active');
    expect(tcp).toMatchObject({ protocol: 'tcp', tcpType: 'active', address: '2001:db8::1', port: 9 });
    const mdns = parseCandidate(
      'candidate:3 1 udp 2122262783 1f0a2b3c-aaaa-bbbb-cccc-0123456789ab.local 50000 typ host',
    );
    expect(isMdnsName(mdns.address)).toBe(true);
    expect(isMdnsName('192.0.2.1')).toBe(false);
  });

  it('round-trips relay candidates', () => {
    const line = 'candidate:7 1 udp 16777215 198.51.100.2 49152 typ relay raddr 203.0.113.1 rport 40000 ufrag abcd';
    expect(formatCandidate(parseCandidate(line))).toBe(line);
  });

  it.each([
    ['candidate:1 1 udp 2122260223 192.0.2.1 54321 typ', 'ice_candidate_short'],
    ['candidate:1 1 udp 2122260223 192.0.2.1 54321 kind host', 'ice_candidate_typ'],
    ['candidate:1 1 udp 2122260223 192.0.2.1 54321 typ magic', 'ice_candidate_type'],
    ['candidate:1 1 udp 2122260223 192.0.2.1 99999 typ host', 'ice_candidate_port'],
    ['candidate:1 1 sctp 2122260223 192.0.2.1 5 typ host', 'ice_candidate_transport'],
    ['candidate:1 0 udp 2122260223 192.0.2.1 5 typ host', 'ice_candidate_component'],
    ['candidate:1 1 udp 0 192.0.2.1 5 typ host', 'ice_candidate_priority'],
    ['candidate:1 1 udp 99999999999 192.0.2.1 5 typ host', 'ice_candidate_priority'],
    ['candidate:f@o 1 udp 1 192.0.2.1 5 typ host', 'ice_candidate_foundation'],
    ['candidate:1 1 udp 1 192.0.2.1 5 typ host raddr', 'ice_candidate_extension'],
    ['candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr 10.0.0.1 rport x', 'ice_candidate_port'],
    ['candidate:1 1 udp 1 bad/addr 5 typ host', 'ice_candidate_address'],
  ])('rejects %s with %s', (line, code) => {
    let caught: unknown;
    try {
      parseCandidate(line);
    } catch (err) {
      caught = err;
    }
    expect(isParseError(caught, code)).toBe(true);
  });
});
