import {
  DIRECTIONS,
  type Direction,
  type Extmap,
  type Fingerprint,
  type Group,
  type Msid,
  type Rid,
  type RtcpFeedback,
  type SetupRole,
  type Simulcast,
  type SsrcGroup,
  parseExtmap,
  parseFingerprint,
  parseFmtp,
  parseGroup,
  parseMsid,
  parseRid,
  parseRtcpFb,
  parseRtpmap,
  parseSetup,
  parseSimulcast,
  parseSsrc,
  parseSsrcGroup,
} from './attributes.js';
import type { SdpAttribute, SdpMedia, SessionDescription } from './model.js';

/**
 * Typed views over a session or media section, for what JSEP needs. Readers never throw on
 * unrelated attributes; a malformed attribute of the kind asked for throws `ParseError`.
 */
type WithAttributes = { attributes: SdpAttribute[] };

export function attributeValues(section: WithAttributes, name: string): string[] {
  const out: string[] = [];
  for (const a of section.attributes) if (a.name === name) out.push(a.value ?? '');
  return out;
}

export function firstAttribute(section: WithAttributes, name: string): string | undefined {
  for (const a of section.attributes) if (a.name === name) return a.value ?? '';
  return undefined;
}

export function hasAttribute(section: WithAttributes, name: string): boolean {
  return section.attributes.some((a) => a.name === name);
}

export function removeAttributes(section: WithAttributes, name: string): void {
  section.attributes = section.attributes.filter((a) => a.name !== name);
}

export function addAttribute(section: WithAttributes, name: string, value?: string): void {
  section.attributes.push(value === undefined ? { name } : { name, value });
}

/** A codec as offered in one m-section: rtpmap + fmtp + rtcp-fb merged by payload type. */
export interface SdpCodec {
  payloadType: number;
  name: string;
  clockRate: number;
  channels?: number;
  parameters: Map<string, string>;
  feedback: { type: string; parameter?: string }[];
}

/** RFC 3551 static payload types that may appear without a=rtpmap. */
const STATIC_PAYLOADS: Record<number, { name: string; clockRate: number; channels?: number }> = {
  0: { name: 'PCMU', clockRate: 8000, channels: 1 },
  8: { name: 'PCMA', clockRate: 8000, channels: 1 },
  9: { name: 'G722', clockRate: 8000, channels: 1 },
};

export function mediaCodecs(m: SdpMedia): SdpCodec[] {
  const byPt = new Map<number, SdpCodec>();
  for (const f of m.formats) {
    if (!/^\d+$/.test(f)) continue;
    const pt = Number(f);
    const st = STATIC_PAYLOADS[pt];
    if (st) byPt.set(pt, { payloadType: pt, ...st, parameters: new Map(), feedback: [] });
  }
  for (const v of attributeValues(m, 'rtpmap')) {
    const r = parseRtpmap(v);
    const c: SdpCodec = {
      payloadType: r.payloadType,
      name: r.encoding,
      clockRate: r.clockRate,
      parameters: new Map(),
      feedback: [],
    };
    if (r.channels !== undefined) c.channels = r.channels;
    byPt.set(r.payloadType, c);
  }
  for (const v of attributeValues(m, 'fmtp')) {
    const f = parseFmtp(v);
    const c = byPt.get(Number(f.format));
    if (c) for (const [k, val] of f.parameters) c.parameters.set(k, val);
    if (c && f.raw !== undefined) c.parameters.set('', f.raw);
  }
  const wildcard: RtcpFeedback[] = [];
  for (const v of attributeValues(m, 'rtcp-fb')) {
    const fb = parseRtcpFb(v);
    if (fb.payloadType === '*') wildcard.push(fb);
    else byPt.get(fb.payloadType)?.feedback.push(stripPt(fb));
  }
  // Keep m= line order (the offerer's preference order).
  const out: SdpCodec[] = [];
  for (const f of m.formats) {
    const c = byPt.get(Number(f));
    if (c && !out.includes(c)) {
      for (const fb of wildcard) c.feedback.push(stripPt(fb));
      out.push(c);
    }
  }
  return out;
}

function stripPt(fb: RtcpFeedback): { type: string; parameter?: string } {
  return fb.parameter !== undefined ? { type: fb.type, parameter: fb.parameter } : { type: fb.type };
}

export function mediaMid(m: SdpMedia): string | undefined {
  return firstAttribute(m, 'mid');
}

/** The section's direction; the session-level attribute applies when the section has none (RFC 8866 §6.7). */
export function mediaDirection(m: SdpMedia, session?: SessionDescription): Direction {
  for (const a of m.attributes) if (DIRECTIONS.includes(a.name as Direction)) return a.name as Direction;
  if (session)
    for (const a of session.attributes) if (DIRECTIONS.includes(a.name as Direction)) return a.name as Direction;
  return 'sendrecv';
}

export function setMediaDirection(m: SdpMedia, direction: Direction): void {
  const idx = m.attributes.findIndex((a) => DIRECTIONS.includes(a.name as Direction));
  if (idx >= 0) m.attributes[idx] = { name: direction };
  else m.attributes.push({ name: direction });
}

export function mediaExtensions(m: SdpMedia): Extmap[] {
  return attributeValues(m, 'extmap').map(parseExtmap);
}

/** SSRCs announced by a=ssrc lines, with their attributes (cname, msid, …) grouped. */
export function mediaSsrcs(m: SdpMedia): { ssrc: number; attributes: Map<string, string> }[] {
  const map = new Map<number, Map<string, string>>();
  for (const v of attributeValues(m, 'ssrc')) {
    const s = parseSsrc(v);
    const attrs = map.get(s.ssrc) ?? new Map<string, string>();
    map.set(s.ssrc, attrs);
    attrs.set(s.attribute, s.value ?? '');
  }
  return [...map].map(([ssrc, attributes]) => ({ ssrc, attributes }));
}

export function mediaSsrcGroups(m: SdpMedia): SsrcGroup[] {
  return attributeValues(m, 'ssrc-group').map(parseSsrcGroup);
}

export function mediaMsids(m: SdpMedia): Msid[] {
  return attributeValues(m, 'msid').map(parseMsid);
}

export function mediaRids(m: SdpMedia): Rid[] {
  return attributeValues(m, 'rid').map(parseRid);
}

export function mediaSimulcast(m: SdpMedia): Simulcast | undefined {
  const v = firstAttribute(m, 'simulcast');
  return v === undefined ? undefined : parseSimulcast(v);
}

/** Session groups, e.g. `BUNDLE 0 1`. */
export function sessionGroups(s: SessionDescription): Group[] {
  return attributeValues(s, 'group').map(parseGroup);
}

export function bundleMids(s: SessionDescription): string[] | undefined {
  return sessionGroups(s).find((g) => g.semantics === 'BUNDLE')?.mids;
}

export interface IceParameters {
  usernameFragment: string;
  password: string;
  options: string[];
  lite: boolean;
}

/** ICE credentials of a section, falling back to session level (RFC 8839 §5.4). */
export function iceParameters(m: SdpMedia, s: SessionDescription): IceParameters | undefined {
  const ufrag = firstAttribute(m, 'ice-ufrag') ?? firstAttribute(s, 'ice-ufrag');
  const pwd = firstAttribute(m, 'ice-pwd') ?? firstAttribute(s, 'ice-pwd');
  if (ufrag === undefined || pwd === undefined) return undefined;
  const options = (firstAttribute(m, 'ice-options') ?? firstAttribute(s, 'ice-options') ?? '')
    .split(/\s+/)
    .filter((o) => o);
  return { usernameFragment: ufrag, password: pwd, options, lite: hasAttribute(s, 'ice-lite') };
}

/** `a=candidate` values (without the `candidate:` prefix handling; parse them with @rtcwire/ice). */
export function mediaCandidates(m: SdpMedia): string[] {
  return attributeValues(m, 'candidate');
}

export function mediaEndOfCandidates(m: SdpMedia): boolean {
  return hasAttribute(m, 'end-of-candidates');
}

/** Fingerprints of a section, falling back to session level (RFC 8122 §5). */
export function fingerprints(m: SdpMedia, s: SessionDescription): Fingerprint[] {
  const local = attributeValues(m, 'fingerprint');
  return (local.length > 0 ? local : attributeValues(s, 'fingerprint')).map(parseFingerprint);
}

export function setupRole(m: SdpMedia, s: SessionDescription): SetupRole | undefined {
  const v = firstAttribute(m, 'setup') ?? firstAttribute(s, 'setup');
  return v === undefined ? undefined : parseSetup(v);
}

/** A section is rejected (or bundled-only with port 0 and no bundle-only attribute) when its port is 0. */
export function isRejected(m: SdpMedia): boolean {
  return m.port === 0 && !hasAttribute(m, 'bundle-only');
}
