import type { SdpAttribute, SdpConnection, SdpLine, SdpMedia, SessionDescription } from './model.js';

/** Serialize the model to SDP text with CRLF line ends, in RFC 8866 §5 line order. */
export function writeSdp(sdp: SessionDescription): string {
  const out: string[] = [];
  out.push(`v=${sdp.version}`);
  const o = sdp.origin;
  out.push(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addressType} ${o.address}`);
  out.push(`s=${sdp.sessionName}`);
  // Session-level i= u= e= p= come before c= and b=, t= after; we keep our carried lines in place order.
  pushLines(out, sdp.lines, (t) => 'iuep'.includes(t));
  if (sdp.connection) out.push(`c=${formatConnection(sdp.connection)}`);
  pushLines(out, sdp.lines, (t) => t === 'b');
  for (const t of sdp.timing.length > 0 ? sdp.timing : ['0 0']) out.push(`t=${t}`);
  pushLines(out, sdp.lines, (t) => !'iuepb'.includes(t));
  pushAttributes(out, sdp.attributes);
  for (const m of sdp.media) writeMedia(out, m);
  return `${out.join('\r\n')}\r\n`;
}

function writeMedia(out: string[], m: SdpMedia): void {
  const port = m.numberOfPorts !== undefined ? `${m.port}/${m.numberOfPorts}` : `${m.port}`;
  out.push(`m=${[m.kind, port, m.protocol, ...m.formats].join(' ')}`);
  pushLines(out, m.lines, (t) => t === 'i');
  if (m.connection) out.push(`c=${formatConnection(m.connection)}`);
  pushLines(out, m.lines, (t) => t !== 'i');
  pushAttributes(out, m.attributes);
}

function pushLines(out: string[], lines: readonly SdpLine[], keep: (type: string) => boolean): void {
  for (const l of lines) if (keep(l.type)) out.push(`${l.type}=${l.value}`);
}

function pushAttributes(out: string[], attributes: readonly SdpAttribute[]): void {
  for (const a of attributes) out.push(a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`);
}

function formatConnection(c: SdpConnection): string {
  return `${c.netType} ${c.addressType} ${c.address}`;
}
