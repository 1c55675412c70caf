import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhipServer, parseSdpFragment } from '../src/index.js';

// RFC 9725 behaviour that needs no browser: status codes, CORS, auth, Link headers.
describe('WHIP endpoint conformance', () => {
  let server: WhipServer;
  const dir = mkdtempSync(join(tmpdir(), 'rtcwire-whip-'));
  beforeAll(async () => {
    server = await WhipServer.start({
      port: 0,
      outDir: dir,
      token: 'secret',
      iceServers: [{ urls: 'stun:127.0.0.1:3478' }, { urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }],
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const auth = { Authorization: 'Bearer secret' };

  it('answers OPTIONS with CORS and ICE server Link headers', async () => {
    const res = await fetch(`${server.url}/whip`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('Location');
    expect(res.headers.get('link')).toContain('<stun:127.0.0.1:3478>; rel="ice-server"');
    expect(res.headers.get('link')).toContain('username="u"; credential="p"; credential-type="password"');
  });

  it('refuses a missing or wrong token with 401', async () => {
    const none = await fetch(`${server.url}/whip`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: 'v=0' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${server.url}/whip`, { method: 'POST', headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer nope' }, body: 'v=0' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a wrong content type with 415', async () => {
    const res = await fetch(`${server.url}/whip`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...auth }, body: 'v=0' });
    expect(res.status).toBe(415);
  });

  it('refuses malformed SDP with 400 and a reason', async () => {
    const res = await fetch(`${server.url}/whip`, { method: 'POST', headers: { 'Content-Type': 'application/sdp', ...auth }, body: 'this is not sdp' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/malformed SDP: not an SDP line/);
  });

  it('refuses an offer without media it can record with 400', async () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n';
    const res = await fetch(`${server.url}/whip`, { method: 'POST', headers: { 'Content-Type': 'application/sdp', ...auth }, body: sdp });
    expect(res.status).toBe(400);
  });

  it('answers 404 for an unknown resource and 405 for a wrong method', async () => {
    expect((await fetch(`${server.url}/whip/0123456789abcdef`, { method: 'DELETE', headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}/whip`, { method: 'GET', headers: auth })).status).toBe(405);
    expect((await fetch(`${server.url}/elsewhere`, { headers: auth })).status).toBe(404);
  });

  it('serves the publisher page', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("fetch('/whip'");
  });

  it('parses trickle-ice-sdpfrag bodies (RFC 8840)', () => {
    const frag = parseSdpFragment('a=ice-ufrag:abcd\r\na=ice-pwd:xyz\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\na=end-of-candidates\r\n');
    expect(frag).toEqual({ iceUfrag: 'abcd', icePwd: 'xyz', candidates: ['candidate:1 1 udp 1 127.0.0.1 5000 typ host'], endOfCandidates: true });
  });
});
