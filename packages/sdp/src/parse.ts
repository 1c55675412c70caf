import { ParseError } from '@rtcwire/common';
import type { SdpAttribute, SdpConnection, SdpMedia, SdpOrigin, SessionDescription } from './model.js';

/**
 * Parse SDP text (RFC 8866 §5) into the model. Accepts CRLF or LF line ends and ignores trailing blank
 * lines; throws `ParseError` (offset = character offset of the bad line) for text that is not SDP.
 */
export function parseSdp(text: string): SessionDescription {
  let offset = 0;
  let version: number | undefined;
  let origin: SdpOrigin | undefined;
  let sessionName: string | undefined;
  const session: SessionDescription = {
    version: 0,
    origin: {
      username: '-',
      sessionId: '0',
      sessionVersion: '0',
      netType: 'IN',
      addressType: 'IP4',
      address: '0.0.0.0',
    },
    sessionName: '-',
    timing: [],
    lines: [],
    attributes: [],
    media: [],
  };
  let media: SdpMedia | undefined;

  for (const rawLine of text.split('\n')) {
    const lineOffset = offset;
    offset += rawLine.length + 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') continue;
    // RFC 8866 §5: every line is <type>=<value> with a one-letter type.
    if (line.length < 2 || line[1] !== '=' || !/^[a-z]$/.test(line[0] as string)) {
      throw new ParseError('sdp_bad_line', `not an SDP line: ${JSON.stringify(line.slice(0, 40))}`, lineOffset);
    }
    const type = line[0] as string;
    const value = line.slice(2);
    if (version === undefined && type !== 'v')
      throw new ParseError('sdp_no_version', 'SDP must start with v=', lineOffset);
    switch (type) {
      case 'v':
        if (version !== undefined) throw new ParseError('sdp_bad_line', 'duplicate v= line', lineOffset);
        if (value !== '0') throw new ParseError('sdp_bad_version', `unsupported SDP version ${value}`, lineOffset);
        version = 0;
        break;
      case 'o':
        if (media) throw new ParseError('sdp_bad_line', 'o= inside a media section', lineOffset);
        origin = parseOrigin(value, lineOffset);
        break;
      case 's':
        if (!media) sessionName = value;
        else media.lines.push({ type, value });
        break;
      case 't':
        if (!media) session.timing.push(value);
        else media.lines.push({ type, value });
        break;
      case 'c': {
        const c = parseConnection(value, lineOffset);
        if (media) media.connection = c;
        else session.connection = c;
        break;
      }
      case 'm':
        media = parseMediaLine(value, lineOffset);
        session.media.push(media);
        break;
      case 'a':
        (media ? media.attributes : session.attributes).push(parseAttribute(value));
        break;
      default:
        (media ? media.lines : session.lines).push({ type, value });
    }
  }
  if (version === undefined) throw new ParseError('sdp_no_version', 'empty SDP', 0);
  if (!origin) throw new ParseError('sdp_no_origin', 'SDP has no o= line', 0);
  session.version = version;
  session.origin = origin;
  session.sessionName = sessionName ?? '-';
  return session;
}

export function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  return colon < 0 ? { name: value } : { name: value.slice(0, colon), value: value.slice(colon + 1) };
}

function parseOrigin(value: string, at: number): SdpOrigin {
  const p = value.split(' ');
  if (p.length !== 6) throw new ParseError('sdp_bad_origin', 'o= needs 6 fields', at);
  const [username, sessionId, sessionVersion, netType, addressType, address] = p as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { username, sessionId, sessionVersion, netType, addressType, address };
}

function parseConnection(value: string, at: number): SdpConnection {
  const p = value.split(' ');
  if (p.length !== 3) throw new ParseError('sdp_bad_connection', 'c= needs 3 fields', at);
  return { netType: p[0] as string, addressType: p[1] as string, address: p[2] as string };
}

function parseMediaLine(value: string, at: number): SdpMedia {
  // RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
  const p = value.split(' ');
  if (p.length < 3) throw new ParseError('sdp_bad_media', 'm= needs media, port and protocol', at);
  const [portText = '', countText] = (p[1] as string).split('/');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new ParseError('sdp_bad_media', `bad port ${p[1]}`, at);
  const m: SdpMedia = {
    kind: p[0] as string,
    port,
    protocol: p[2] as string,
    formats: p.slice(3).filter((f) => f !== ''),
    lines: [],
    attributes: [],
  };
  if (countText !== undefined) {
    if (!/^\d+$/.test(countText)) throw new ParseError('sdp_bad_media', `bad port count ${p[1]}`, at);
    m.numberOfPorts = Number(countText);
  }
  return m;
}
