import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@rtcwire/common';
import { type RTCIceServer, RTCPeerConnection } from '@rtcwire/node';
import type { RtpFeatures } from '@rtcwire/peer';
import { parseSdp } from '@rtcwire/sdp';
import { chooseRecordingCodecs } from './codec-choice.js';
import { PUBLISHER_PAGE } from './publisher-page.js';
import { RecordingSession, type RecordingSummary } from './recording-session.js';
import { parseSdpFragment, type SdpFragment } from './sdpfrag.js';

/**
 * A WHIP ingest server (RFC 9725) that records every publisher to a file.
 * POST /whip (application/sdp) → 201 + Location + ETag + SDP answer; PATCH the resource with
 * application/trickle-ice-sdpfrag for trickle ICE; DELETE it to end the session and finalize the file.
 * OPTIONS/CORS for pages on other origins; optional bearer token; Link headers for ICE servers.
 */
export interface WhipServerOptions {
  host?: string;
  port?: number;
  /** Where recordings go (created if missing). */
  outDir: string;
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /** ICE servers advertised in Link headers and used by our side. */
  iceServers?: RTCIceServer[];
  /** Local addresses our peer connections bind (default: all IPv4 incl. loopback). */
  addresses?: string[];
  /** End sessions that do not connect within this time (default 30 s). */
  connectTimeoutMs?: number;
  /** Pin codecs instead of taking the publisher's first choice. */
  codecs?: { video?: string; audio?: string };
  /**
   * How long each recording waits for RTCP sender reports on every track before aligning audio and video
   * by arrival time instead (default: the Recorder's 2500 ms; 0 starts on arrival times at once).
   */
  syncWaitMs?: number;
  /** NACK/RTX, TWCC, REMB… of each session's peer connection (default: NACK and TWCC on). */
  rtp?: RtpFeatures;
  onSessionStart?: (s: { id: string; file: string }) => void;
  onSessionEnd?: (s: { id: string; reason: string; summary: RecordingSummary }) => void;
}

interface Session {
  id: string;
  etag: string;
  pc: RTCPeerConnection;
  recording: RecordingSession;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const log = createLogger('whip');

export class WhipServer {
  private readonly server: Server;
  private readonly sessions = new Map<string, Session>();

  private constructor(private readonly options: WhipServerOptions) {
    mkdirSync(options.outDir, { recursive: true });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        log.warn('request failed', { error: String(err) });
        if (!res.headersSent) this.reply(res, 500, 'internal error');
      });
    });
  }

  static async start(options: WhipServerOptions): Promise<WhipServer> {
    const s = new WhipServer(options);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
    });
    return s;
  }

  get url(): string {
    const a = this.server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  /** End every session (finalizing files) and stop listening. */
  async close(): Promise<RecordingSummary[]> {
    const summaries = await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'server closed')));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    return summaries.filter((s): s is RecordingSummary => s !== undefined);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.cors(res);
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'OPTIONS') {
      this.linkHeaders(res);
      res.writeHead(204, { Allow: 'OPTIONS, POST, PATCH, DELETE', 'Accept-Post': 'application/sdp' }).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PUBLISHER_PAGE);
      return;
    }
    if (url.pathname !== '/whip' && !url.pathname.startsWith('/whip/')) return this.reply(res, 404, 'not found');
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return this.reply(res, 401, 'missing or wrong bearer token');
    }
    if (url.pathname === '/whip') {
      if (req.method !== 'POST') return this.reply(res, 405, 'use POST to publish');
      return this.publish(req, res);
    }
    const session = this.sessions.get(url.pathname.slice('/whip/'.length));
    if (!session) return this.reply(res, 404, 'no such session');
    if (req.method === 'DELETE') {
      await this.end(session.id, 'deleted by publisher');
      return this.reply(res, 200, 'session ended');
    }
    if (req.method === 'PATCH') return this.trickle(req, res, session);
    return this.reply(res, 405, 'use PATCH or DELETE on a session');
  }

  private async publish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/sdp')) {
      return this.reply(res, 415, 'content type must be application/sdp');
    }
    const offer = await readBody(req);
    try {
      parseSdp(offer);
    } catch (err) {
      return this.reply(res, 400, `malformed SDP: ${(err as Error).message}`);
    }
    const codecs = chooseRecordingCodecs(offer, this.options.codecs);
    if (codecs.audio.length === 0 && codecs.video.length === 0)
      return this.reply(res, 400, 'the offer has no audio or video codec we can record');
    const pc = new RTCPeerConnection({
      iceServers: this.options.iceServers ?? [],
      rtcwire: {
        codecs,
        ...(this.options.addresses ? { addresses: this.options.addresses } : {}),
        ...(this.options.rtp ? { rtp: this.options.rtp } : {}),
      },
    });
    let recording: RecordingSession;
    const id = randomBytes(8).toString('hex');
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete(2000);
      recording = new RecordingSession(
        pc,
        this.options.outDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}`,
        this.options.syncWaitMs !== undefined ? { syncWaitMs: this.options.syncWaitMs } : {},
      );
    } catch (err) {
      pc.close();
      return this.reply(res, 400, `cannot answer this offer: ${(err as Error).message}`);
    }
    const session: Session = { id, etag: `"${randomBytes(6).toString('hex')}"`, pc, recording, timer: undefined };
    this.sessions.set(id, session);
    session.timer = setTimeout(() => {
      if (pc.connectionState !== 'connected') void this.end(id, 'did not connect in time');
    }, this.options.connectTimeoutMs ?? 30_000);
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed') void this.end(id, 'ICE/DTLS failed');
    });
    this.options.onSessionStart?.({ id, file: recording.file });
    this.linkHeaders(res);
    res.writeHead(201, { 'Content-Type': 'application/sdp', Location: `/whip/${id}`, ETag: session.etag });
    res.end(pc.localDescription?.sdp ?? '');
  }

  private async trickle(req: IncomingMessage, res: ServerResponse, session: Session): Promise<void> {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/trickle-ice-sdpfrag')) {
      return this.reply(res, 415, 'content type must be application/trickle-ice-sdpfrag');
    }
    const frag = parseSdpFragment(await readBody(req));
    const remote = session.pc.remoteDescription?.sdp ?? '';
    if (frag.iceUfrag !== undefined && !remote.includes(`a=ice-ufrag:${frag.iceUfrag}\r\n`)) {
      return this.restartIce(req, res, session, frag);
    }
    for (const c of frag.candidates) await session.pc.addIceCandidate({ candidate: c });
    if (frag.endOfCandidates) await session.pc.addIceCandidate(null);
    res.writeHead(204).end();
  }

  /**
   * RFC 9725 §4.3.2: the publisher restarted ICE. Apply its new credentials (and candidates) as a new offer,
   * answer — which restarts our side — and return our new credentials and candidates as an sdpfrag.
   */
  private async restartIce(
    req: IncomingMessage,
    res: ServerResponse,
    session: Session,
    frag: SdpFragment,
  ): Promise<void> {
    if (frag.icePwd === undefined) return this.reply(res, 400, 'an ICE restart needs a=ice-ufrag and a=ice-pwd');
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== session.etag)
      return this.reply(res, 412, 'ETag does not match');
    const previous = session.pc.remoteDescription?.sdp ?? '';
    const offer = previous
      .replace(/a=ice-ufrag:[^\r\n]*/g, `a=ice-ufrag:${frag.iceUfrag}`)
      .replace(/a=ice-pwd:[^\r\n]*/g, `a=ice-pwd:${frag.icePwd}`)
      .replace(/a=(candidate:[^\r\n]*|end-of-candidates)\r\n/g, '');
    try {
      await session.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await session.pc.setLocalDescription();
      for (const c of frag.candidates) await session.pc.addIceCandidate({ candidate: c });
      if (frag.endOfCandidates) await session.pc.addIceCandidate(null);
      await session.pc.waitForGatheringComplete(2000);
    } catch (err) {
      return this.reply(res, 400, `ICE restart failed: ${(err as Error).message}`);
    }
    session.etag = `"${randomBytes(6).toString('hex')}"`;
    const answer = session.pc.localDescription?.sdp ?? '';
    const lines = answer.split('\r\n');
    const pick = (prefix: string): string[] => lines.filter((l) => l.startsWith(prefix));
    const firstMedia = lines.find((l) => l.startsWith('m=')) ?? 'm=audio 9 UDP/TLS/RTP/SAVPF 0';
    const body = [
      ...pick('a=ice-ufrag:').slice(0, 1),
      ...pick('a=ice-pwd:').slice(0, 1),
      firstMedia,
      ...pick('a=mid:').slice(0, 1),
      ...pick('a=candidate:'),
      'a=end-of-candidates',
      '',
    ].join('\r\n');
    res.writeHead(200, { 'Content-Type': 'application/trickle-ice-sdpfrag', ETag: session.etag }).end(body);
  }

  private async end(id: string, reason: string): Promise<RecordingSummary | undefined> {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    this.sessions.delete(id);
    clearTimeout(s.timer);
    await s.recording.sampleNetwork(); // the final network counters, not the last 250 ms sample
    const summary = s.recording.finish();
    s.pc.close();
    this.options.onSessionEnd?.({ id, reason, summary });
    return summary;
  }

  private cors(res: ServerResponse): void {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'OPTIONS, POST, PATCH, DELETE');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, If-Match');
    res.setHeader('Access-Control-Expose-Headers', 'Location, ETag, Link');
  }

  /** RFC 9725 §4.6: ICE servers as Link headers with rel="ice-server". */
  private linkHeaders(res: ServerResponse): void {
    const links: string[] = [];
    for (const s of this.options.iceServers ?? []) {
      for (const u of Array.isArray(s.urls) ? s.urls : [s.urls]) {
        let link = `<${u}>; rel="ice-server"`;
        if (s.username !== undefined)
          link += `; username="${s.username}"; credential="${s.credential ?? ''}"; credential-type="password"`;
        links.push(link);
      }
    }
    if (links.length > 0) res.setHeader('Link', links);
  }

  private reply(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
  }
}

function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
