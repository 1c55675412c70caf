import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LossyRelay } from './lossy-relay.js';
import { loopbackUdpCandidate, replaceCandidates, stripCandidates } from './sdp-candidates.js';

/**
 * An HTTP proxy in front of a WHIP endpoint (RFC 9725) that routes the session's media through a
 * LossyRelay. The publisher (relay peer A) POSTs its offer here; the proxy pins the publisher's loopback
 * UDP candidate as relay.peerA, replaces the offer's candidates by one at relay socket B and forwards it.
 * From the answer it pins the server's loopback UDP candidate as relay.peerB and replaces the answer's
 * candidates by one at relay socket A. PATCH trickle fragments lose their candidate lines (and an answer
 * fragment gets the relay's instead); every other request (OPTIONS, DELETE) passes through unchanged.
 */
export interface WhipRelayProxy {
  /** Base URL of the proxy: publish to `${url}/whip`. */
  readonly url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startWhipRelayProxy(upstream: string, relay: LossyRelay): Promise<WhipRelayProxy> {
  const server: Server = createServer((req, res) => {
    forward(req, res, upstream, relay).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy error: ${String(err)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function forward(req: IncomingMessage, res: ServerResponse, upstream: string, relay: LossyRelay): Promise<void> {
  const method = req.method ?? 'GET';
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  let body: string | undefined = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  if (body !== undefined && method === 'POST' && contentType.startsWith('application/sdp')) {
    relay.peerA = loopbackUdpCandidate(body);
    body = replaceCandidates(body, relay.b);
  } else if (body !== undefined && method === 'PATCH') {
    body = stripCandidates(body);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || k === 'host') continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const up = await fetch(new URL(req.url ?? '/', upstream), {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  let text = await up.text();
  const upType = (up.headers.get('content-type') ?? '').toLowerCase();
  if (method === 'POST' && up.status === 201 && upType.startsWith('application/sdp')) {
    relay.peerB = loopbackUdpCandidate(text);
    text = replaceCandidates(text, relay.a);
  } else if (method === 'PATCH' && upType.startsWith('application/trickle-ice-sdpfrag')) {
    // An ICE restart answer: re-pin the server's (new) loopback candidate, and announce socket A instead.
    const restarted = /a=candidate:/.test(text);
    if (restarted) relay.peerB = loopbackUdpCandidate(text);
    text = stripCandidates(text);
    if (restarted) {
      text = text.replace(
        /(a=mid:[^\r\n]*\r?\n)/,
        `$1a=candidate:relay 1 udp 2130706431 ${relay.a.address} ${relay.a.port} typ host\r\n`,
      );
    }
  }
  const out: Record<string, string> = {};
  up.headers.forEach((v, k) => {
    if (!HOP_BY_HOP.has(k)) out[k] = v;
  });
  res.writeHead(up.status, out);
  res.end(text);
}
