import { ParseError } from '@rtcwire/common';

/**
 * Typed codecs for the attribute values JSEP needs. Each `parseX(value)` takes the text after
 * `a=name:` and throws `ParseError` when it does not match the grammar; each `formatX` inverts it.
 */

function bad(name: string, value: string): ParseError {
  return new ParseError(`sdp_bad_${name.replace(/-/g, '_')}`, `malformed a=${name}:${value.slice(0, 60)}`, 0);
}

function uint(text: string | undefined, name: string, value: string, max = 0xffffffff): number {
  if (text === undefined || !/^\d+$/.test(text)) throw bad(name, value);
  const n = Number(text);
  if (n > max) throw bad(name, value);
  return n;
}

// RFC 8866 §6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
export interface Rtpmap {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels?: number;
}

export function parseRtpmap(value: string): Rtpmap {
  const m = /^(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(value.trim());
  if (!m) throw bad('rtpmap', value);
  const r: Rtpmap = {
    payloadType: uint(m[1], 'rtpmap', value, 127),
    encoding: m[2] as string,
    clockRate: uint(m[3], 'rtpmap', value),
  };
  if (m[4] !== undefined) r.channels = uint(m[4], 'rtpmap', value);
  return r;
}

export function formatRtpmap(r: Rtpmap): string {
  return `${r.payloadType} ${r.encoding}/${r.clockRate}${r.channels !== undefined ? `/${r.channels}` : ''}`;
}

// RFC 8866 §6.15: a=fmtp:<format> <format specific parameters>; in practice `k=v;k=v`.
export interface Fmtp {
  format: string;
  /** Parameters in order; a bare token (no '=') is stored with an empty-string value under `raw`. */
  parameters: Map<string, string>;
  /** The parameter text when it is not a `k=v;…` list (e.g. RED's `96/96`). */
  raw?: string;
}

export function parseFmtp(value: string): Fmtp {
  const space = value.indexOf(' ');
  if (space <= 0) throw bad('fmtp', value);
  const format = value.slice(0, space);
  const text = value.slice(space + 1).trim();
  const parameters = new Map<string, string>();
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length > 0 && parts.every((p) => p.includes('='))) {
    for (const p of parts) {
      const eq = p.indexOf('=');
      parameters.set(p.slice(0, eq).trim(), p.slice(eq + 1).trim());
    }
    return { format, parameters };
  }
  return { format, parameters, raw: text };
}

export function formatFmtp(f: Fmtp): string {
  if (f.raw !== undefined) return `${f.format} ${f.raw}`;
  return `${f.format} ${[...f.parameters].map(([k, v]) => `${k}=${v}`).join(';')}`;
}

// RFC 4585 §4.2: a=rtcp-fb:<pt|*> <type> [<subtype>]
export interface RtcpFeedback {
  payloadType: number | '*';
  type: string;
  parameter?: string;
}

export function parseRtcpFb(value: string): RtcpFeedback {
  const m = /^(\d+|\*) (\S+)(?: (.+))?$/.exec(value.trim());
  if (!m) throw bad('rtcp-fb', value);
  const fb: RtcpFeedback = {
    payloadType: m[1] === '*' ? '*' : uint(m[1], 'rtcp-fb', value, 127),
    type: m[2] as string,
  };
  if (m[3] !== undefined) fb.parameter = m[3];
  return fb;
}

export function formatRtcpFb(fb: RtcpFeedback): string {
  return `${fb.payloadType} ${fb.type}${fb.parameter !== undefined ? ` ${fb.parameter}` : ''}`;
}

// RFC 8285 §8: a=extmap:<value>["/"<direction>] <URI> <extensionattributes>
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export interface Extmap {
  id: number;
  direction?: Direction;
  uri: string;
  attributes?: string;
}

export function parseExtmap(value: string): Extmap {
  const m = /^(\d+)(?:\/(\w+))? (\S+)(?: (.+))?$/.exec(value.trim());
  if (!m) throw bad('extmap', value);
  const e: Extmap = { id: uint(m[1], 'extmap', value, 255), uri: m[3] as string };
  if (m[2] !== undefined) {
    if (!DIRECTIONS.includes(m[2] as Direction)) throw bad('extmap', value);
    e.direction = m[2] as Direction;
  }
  if (m[4] !== undefined) e.attributes = m[4];
  return e;
}

export function formatExtmap(e: Extmap): string {
  return `${e.id}${e.direction ? `/${e.direction}` : ''} ${e.uri}${e.attributes !== undefined ? ` ${e.attributes}` : ''}`;
}

// RFC 5576 §4.1: a=ssrc:<ssrc-id> <attribute>[:<value>]
export interface SsrcAttribute {
  ssrc: number;
  attribute: string;
  value?: string;
}

export function parseSsrc(value: string): SsrcAttribute {
  const m = /^(\d+) ([^:\s]+)(?::(.*))?$/.exec(value.trim());
  if (!m) throw bad('ssrc', value);
  const s: SsrcAttribute = { ssrc: uint(m[1], 'ssrc', value), attribute: m[2] as string };
  if (m[3] !== undefined) s.value = m[3];
  return s;
}

export function formatSsrc(s: SsrcAttribute): string {
  return `${s.ssrc} ${s.attribute}${s.value !== undefined ? `:${s.value}` : ''}`;
}

// RFC 5576 §4.2: a=ssrc-group:<semantics> <ssrc-id> ...
export interface SsrcGroup {
  semantics: string;
  ssrcs: number[];
}

export function parseSsrcGroup(value: string): SsrcGroup {
  const [semantics, ...ids] = value.trim().split(/\s+/);
  if (!semantics || ids.length === 0) throw bad('ssrc-group', value);
  return { semantics, ssrcs: ids.map((i) => uint(i, 'ssrc-group', value)) };
}

export function formatSsrcGroup(g: SsrcGroup): string {
  return [g.semantics, ...g.ssrcs].join(' ');
}

// RFC 5888 §5 / RFC 9143: a=group:<semantics> <mid> ...
export interface Group {
  semantics: string;
  mids: string[];
}

export function parseGroup(value: string): Group {
  const [semantics, ...mids] = value.trim().split(/\s+/);
  if (!semantics) throw bad('group', value);
  return { semantics, mids };
}

export function formatGroup(g: Group): string {
  return [g.semantics, ...g.mids].join(' ');
}

// RFC 8122 §5: a=fingerprint:<hash-func> <fingerprint>
export interface Fingerprint {
  algorithm: string;
  value: string;
}

export function parseFingerprint(value: string): Fingerprint {
  const m = /^(\S+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$/.exec(value.trim());
  if (!m) throw bad('fingerprint', value);
  return { algorithm: (m[1] as string).toLowerCase(), value: (m[2] as string).toUpperCase() };
}

export function formatFingerprint(f: Fingerprint): string {
  return `${f.algorithm} ${f.value}`;
}

// RFC 4145 §4: a=setup
export type SetupRole = 'active' | 'passive' | 'actpass' | 'holdconn';

export function parseSetup(value: string): SetupRole {
  const v = value.trim();
  if (v !== 'active' && v !== 'passive' && v !== 'actpass' && v !== 'holdconn') throw bad('setup', value);
  return v;
}

// RFC 8830 §2: a=msid:<stream id> [<track id>]
export interface Msid {
  streamId: string;
  trackId?: string;
}

export function parseMsid(value: string): Msid {
  const p = value.trim().split(/\s+/);
  if (!p[0] || p.length > 2) throw bad('msid', value);
  return p[1] !== undefined ? { streamId: p[0], trackId: p[1] } : { streamId: p[0] };
}

export function formatMsid(m: Msid): string {
  return m.trackId !== undefined ? `${m.streamId} ${m.trackId}` : m.streamId;
}

// RFC 8851 §4: a=rid:<rid-id> <send|recv> [pt=<fmt-list>;<restriction>=<value>...]
export interface Rid {
  id: string;
  direction: 'send' | 'recv';
  payloadTypes?: number[];
  restrictions: Map<string, string>;
}

export function parseRid(value: string): Rid {
  const m = /^([A-Za-z0-9_-]+) (send|recv)(?: (\S+))?$/.exec(value.trim());
  if (!m) throw bad('rid', value);
  const rid: Rid = { id: m[1] as string, direction: m[2] as 'send' | 'recv', restrictions: new Map() };
  for (const part of (m[3] ?? '').split(';').filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const val = eq < 0 ? '' : part.slice(eq + 1);
    if (key === 'pt') rid.payloadTypes = val.split(',').map((pt) => uint(pt, 'rid', value, 127));
    else rid.restrictions.set(key, val);
  }
  return rid;
}

export function formatRid(r: Rid): string {
  const parts: string[] = [];
  if (r.payloadTypes) parts.push(`pt=${r.payloadTypes.join(',')}`);
  for (const [k, v] of r.restrictions) parts.push(v === '' ? k : `${k}=${v}`);
  return `${r.id} ${r.direction}${parts.length > 0 ? ` ${parts.join(';')}` : ''}`;
}

// RFC 8853 §5.1: a=simulcast:<send|recv> <alt-list>[;...] [<recv|send> ...]; '~' marks paused.
export interface SimulcastStream {
  rid: string;
  paused: boolean;
}

export interface Simulcast {
  /** Each entry is a list of alternatives for one simulcast stream. */
  send?: SimulcastStream[][];
  recv?: SimulcastStream[][];
}

export function parseSimulcast(value: string): Simulcast {
  const tokens = value.trim().split(/\s+/);
  if (tokens.length !== 2 && tokens.length !== 4) throw bad('simulcast', value);
  const out: Simulcast = {};
  for (let i = 0; i < tokens.length; i += 2) {
    const dir = tokens[i];
    if ((dir !== 'send' && dir !== 'recv') || out[dir]) throw bad('simulcast', value);
    out[dir] = (tokens[i + 1] as string).split(';').map((alts) =>
      alts.split(',').map((r) => {
        const paused = r.startsWith('~');
        const rid = paused ? r.slice(1) : r;
        if (!/^[A-Za-z0-9_-]+$/.test(rid)) throw bad('simulcast', value);
        return { rid, paused };
      }),
    );
  }
  return out;
}

export function formatSimulcast(s: Simulcast): string {
  const fmt = (list: SimulcastStream[][]): string =>
    list.map((alts) => alts.map((a) => `${a.paused ? '~' : ''}${a.rid}`).join(',')).join(';');
  const parts: string[] = [];
  if (s.send) parts.push(`send ${fmt(s.send)}`);
  if (s.recv) parts.push(`recv ${fmt(s.recv)}`);
  return parts.join(' ');
}
