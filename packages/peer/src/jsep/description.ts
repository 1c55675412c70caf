import {
  type Direction,
  type Extmap,
  type Fingerprint,
  formatExtmap,
  formatFingerprint,
  formatRtcpFb,
  formatRtpmap,
  type SdpAttribute,
  type SdpMedia,
  type SessionDescription,
  type SetupRole,
} from '@rtcwire/sdp';
import type { MediaKind } from './capabilities.js';
import type { NegotiatedCodec } from './codec-negotiation.js';

/**
 * Builds the SDP of an offer or answer from a plan: one section per transceiver, all on one
 * BUNDLE transport (max-bundle, RFC 9143), rtcp-mux and rtcp-rsize, and the transport's ICE and
 * DTLS parameters repeated in every section as JSEP writes them (RFC 9429 §5.2.1, §5.3.1).
 */
export interface LocalSender {
  ssrc: number;
  rtxSsrc?: number;
  cname: string;
  streamIds: readonly string[];
  trackId: string;
}

export interface SectionPlan {
  mid: string;
  kind: MediaKind | string;
  /** Rejected sections get port 0, no transport attributes and leave the BUNDLE group. */
  rejected: boolean;
  direction: Direction;
  codecs: readonly NegotiatedCodec[];
  extensions: readonly Extmap[];
  /** Present when this section sends. */
  sender?: LocalSender;
  /** For rejected sections: the protocol and formats to echo. */
  protocol?: string;
  formats?: readonly string[];
}

export interface TransportPlan {
  iceUfrag: string;
  icePwd: string;
  iceLite: boolean;
  fingerprints: readonly Fingerprint[];
  setup: SetupRole;
  /** `candidate:…` attribute values gathered so far (written in the first bundled section). */
  candidates: readonly string[];
  endOfCandidates: boolean;
  /** Default address for c=/m= (the selected or first candidate); 0.0.0.0:9 before any. */
  defaultAddress?: { address: string; port: number };
}

export interface DescriptionPlan {
  sessionId: string;
  sessionVersion: number;
  sections: readonly SectionPlan[];
  transport: TransportPlan;
  /** The mid to keep as BUNDLE tag when its section is accepted (the offer's tag, or the negotiated one). */
  bundleTag?: string;
}

export function buildDescription(plan: DescriptionPlan): SessionDescription {
  const inOrder = plan.sections.filter((s) => !s.rejected).map((s) => s.mid);
  // RFC 9143 §7.2.1/§7.3.1: the current BUNDLE-tag section stays first (the tag) while it is accepted; moving
  // the tag moves the group to another transport (engine/transport-change.ts).
  const tag = plan.bundleTag;
  const accepted =
    tag !== undefined && inOrder.includes(tag) ? [tag, ...inOrder.filter((mid) => mid !== tag)] : inOrder;
  const attributes: SdpAttribute[] = [];
  if (accepted.length > 0) attributes.push({ name: 'group', value: ['BUNDLE', ...accepted].join(' ') });
  attributes.push({ name: 'extmap-allow-mixed' }, { name: 'msid-semantic', value: ' WMS' });
  if (plan.transport.iceLite) attributes.push({ name: 'ice-lite' });
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: plan.sessionId,
      sessionVersion: String(plan.sessionVersion),
      netType: 'IN',
      addressType: 'IP4',
      address: '127.0.0.1',
    },
    sessionName: '-',
    timing: ['0 0'],
    lines: [],
    attributes,
    media: plan.sections.map((s, i) =>
      s.rejected ? rejectedSection(s) : section(s, plan.transport, s.mid === accepted[0] || i === 0),
    ),
  };
}

function rejectedSection(s: SectionPlan): SdpMedia {
  // RFC 9429 §5.3.1: a rejected m= section has port 0 and needs no attributes beyond a=mid.
  return {
    kind: s.kind,
    port: 0,
    protocol: s.protocol ?? 'UDP/TLS/RTP/SAVPF',
    formats:
      s.formats && s.formats.length > 0 ? [...s.formats] : s.codecs.map((c) => String(c.payloadType)).slice(0, 1),
    connection: { netType: 'IN', addressType: 'IP4', address: '0.0.0.0' },
    lines: [],
    attributes: [{ name: 'mid', value: s.mid }, { name: 'inactive' }],
  };
}

function section(s: SectionPlan, t: TransportPlan, carriesCandidates: boolean): SdpMedia {
  const a: SdpAttribute[] = [];
  const add = (name: string, value?: string): void => {
    a.push(value === undefined ? { name } : { name, value });
  };
  const addr = t.defaultAddress ?? { address: '0.0.0.0', port: 9 };
  add('rtcp', `9 IN IP4 0.0.0.0`);
  if (carriesCandidates) {
    for (const c of t.candidates) add('candidate', c.startsWith('candidate:') ? c.slice('candidate:'.length) : c);
    if (t.endOfCandidates) add('end-of-candidates');
  }
  add('ice-ufrag', t.iceUfrag);
  add('ice-pwd', t.icePwd);
  add('ice-options', 'trickle');
  for (const f of t.fingerprints) add('fingerprint', formatFingerprint(f));
  add('setup', t.setup);
  add('mid', s.mid);
  for (const e of s.extensions) add('extmap', formatExtmap(e));
  add(s.direction);
  if (s.sender) add('msid', `${s.sender.streamIds[0] ?? '-'} ${s.sender.trackId}`);
  add('rtcp-mux');
  add('rtcp-rsize');
  const formats: string[] = [];
  for (const c of s.codecs) {
    formats.push(String(c.payloadType));
    add(
      'rtpmap',
      formatRtpmap({
        payloadType: c.payloadType,
        encoding: c.name,
        clockRate: c.clockRate,
        ...(c.channels !== undefined ? { channels: c.channels } : {}),
      }),
    );
    for (const fb of c.feedback) add('rtcp-fb', formatRtcpFb({ payloadType: c.payloadType, ...fb }));
    if (c.parameters.size > 0)
      add('fmtp', `${c.payloadType} ${[...c.parameters].map(([k, v]) => (k === '' ? v : `${k}=${v}`)).join(';')}`);
    if (c.rtxPayloadType !== undefined) {
      formats.push(String(c.rtxPayloadType));
      add('rtpmap', `${c.rtxPayloadType} rtx/${c.clockRate}`);
      add('fmtp', `${c.rtxPayloadType} apt=${c.payloadType}`);
    }
  }
  if (s.sender) {
    const { ssrc, cname, streamIds, trackId } = s.sender;
    // RFC 4588 §8.1: announce the RTX SSRC (FID group) only when an RTX payload type was negotiated.
    const rtxSsrc = s.codecs.some((c) => c.rtxPayloadType !== undefined) ? s.sender.rtxSsrc : undefined;
    const msid = `${streamIds[0] ?? '-'} ${trackId}`;
    if (rtxSsrc !== undefined) add('ssrc-group', `FID ${ssrc} ${rtxSsrc}`);
    for (const id of rtxSsrc !== undefined ? [ssrc, rtxSsrc] : [ssrc]) {
      add('ssrc', `${id} cname:${cname}`);
      add('ssrc', `${id} msid:${msid}`);
    }
  }
  return {
    kind: s.kind,
    port: addr.port,
    protocol: 'UDP/TLS/RTP/SAVPF',
    formats,
    connection: { netType: 'IN', addressType: addr.address.includes(':') ? 'IP6' : 'IP4', address: addr.address },
    lines: [],
    attributes: a,
  };
}
