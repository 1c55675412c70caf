import { ParseError } from '@rtcwire/common';

/** RFC 8445 §5.1.1: candidate types. */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** One ICE candidate as it appears in SDP (RFC 8839 §5.1). */
export interface IceCandidate {
  readonly foundation: string;
  /** 1 = RTP (the only component with rtcp-mux and BUNDLE). */
  readonly component: number;
  readonly protocol: 'udp' | 'tcp';
  readonly priority: number;
  /** An IP address, or an mDNS `.local` name (RFC 8838 / draft-ietf-mmusic-mdns-ice-candidates). */
  readonly address: string;
  readonly port: number;
  readonly type: CandidateType;
  readonly relatedAddress?: string;
  readonly relatedPort?: number;
  /** RFC 6544 tcptype: parsed and kept, but TCP candidates are ignored by the agent. */
  readonly tcpType?: string;
  /** Remaining `name value` extension pairs (generation, ufrag, network-id, …), in order. */
  readonly extensions?: readonly (readonly [string, string])[];
}

/** RFC 8445 §5.1.2.2: recommended type preferences. */
export const TYPE_PREFERENCE: Record<CandidateType, number> = { host: 126, prflx: 110, srflx: 100, relay: 0 };

/** RFC 8445 §5.1.2.1: priority = 2^24·type-pref + 2^8·local-pref + (256 − component). */
export function candidatePriority(type: CandidateType, localPreference: number, component = 1): number {
  return TYPE_PREFERENCE[type] * 2 ** 24 + localPreference * 2 ** 8 + (256 - component);
}

/** The local preference encoded in a priority (bits 8..23). */
export function localPreferenceOf(priority: number): number {
  return Math.floor(priority / 256) & 0xffff;
}

const TOKEN = /^[A-Za-z0-9+/]{1,32}$/;

/**
 * Parse a candidate attribute: `candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host …`, with or
 * without the leading `a=` and `candidate:` (RFC 8839 §5.1 grammar). Throws ParseError.
 */
export function parseCandidate(text: string): IceCandidate {
  let s = text.trim();
  if (s.startsWith('a=')) s = s.slice(2);
  if (s.startsWith('candidate:')) s = s.slice('candidate:'.length);
  const f = s.split(/\s+/);
  const fail = (code: string, message: string, field: number): never => {
    throw new ParseError(code, `candidate: ${message}`, field);
  };
  if (f.length < 8) fail('ice_candidate_short', `expected at least 8 fields, got ${f.length}`, f.length);
  const [foundation, comp, transport, prio, address, portText, typ, typeText] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!TOKEN.test(foundation)) fail('ice_candidate_foundation', `bad foundation '${foundation}'`, 0);
  const component = Number(comp);
  if (!/^\d{1,3}$/.test(comp) || component < 1 || component > 256)
    fail('ice_candidate_component', `bad component '${comp}'`, 1);
  const protocol = transport.toLowerCase();
  if (protocol !== 'udp' && protocol !== 'tcp')
    fail('ice_candidate_transport', `unsupported transport '${transport}'`, 2);
  const priority = Number(prio);
  if (!/^\d{1,10}$/.test(prio) || priority < 1 || priority > 0xffffffff)
    fail('ice_candidate_priority', `bad priority '${prio}'`, 3);
  if (!/^[A-Za-z0-9.:\-_%]+$/.test(address)) fail('ice_candidate_address', `bad address '${address}'`, 4);
  const port = parsePort(portText, 5);
  if (typ !== 'typ') fail('ice_candidate_typ', `expected 'typ', got '${typ}'`, 6);
  if (!['host', 'srflx', 'prflx', 'relay'].includes(typeText))
    fail('ice_candidate_type', `unknown type '${typeText}'`, 7);
  let relatedAddress: string | undefined;
  let relatedPort: number | undefined;
  let tcpType: string | undefined;
  const extensions: [string, string][] = [];
  for (let i = 8; i < f.length; i += 2) {
    const name = f[i] as string;
    const value = f[i + 1];
    if (value === undefined) fail('ice_candidate_extension', `'${name}' lacks a value`, i);
    const v = value as string;
    if (name === 'raddr') relatedAddress = v;
    else if (name === 'rport') relatedPort = parsePort(v, i + 1);
    else if (name === 'tcptype') tcpType = v;
    else extensions.push([name, v]);
  }
  return {
    foundation,
    component,
    protocol: protocol as 'udp' | 'tcp',
    priority,
    address,
    port,
    type: typeText as CandidateType,
    ...(relatedAddress !== undefined ? { relatedAddress } : {}),
    ...(relatedPort !== undefined ? { relatedPort } : {}),
    ...(tcpType !== undefined ? { tcpType } : {}),
    ...(extensions.length > 0 ? { extensions } : {}),
  };
}

function parsePort(text: string, field: number): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535)
    throw new ParseError('ice_candidate_port', `candidate: bad port '${text}'`, field);
  return port;
}

/** Format as the SDP attribute value, `candidate:…` (no `a=`). */
export function formatCandidate(c: IceCandidate): string {
  let s = `candidate:${c.foundation} ${c.component} ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined) s += ` raddr ${c.relatedAddress}`;
  if (c.relatedPort !== undefined) s += ` rport ${c.relatedPort}`;
  if (c.tcpType !== undefined) s += ` tcptype ${c.tcpType}`;
  for (const [k, v] of c.extensions ?? []) s += ` ${k} ${v}`;
  return s;
}

/** True for an mDNS host name candidate address (`<uuid>.local`). */
export function isMdnsName(address: string): boolean {
  return address.toLowerCase().endsWith('.local');
}
