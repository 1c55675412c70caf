import { readFileSync } from 'node:fs';
import { type SocketAddress, bytesEqual, formatAddress, secureRandom, socketAddress } from '@rtcwire/common';
import { TurnClient, type TurnError, type TurnEvent, type TurnTransport } from '@rtcwire/ice';
import { Driver, StreamTransport, type Transport, UdpTransport } from '@rtcwire/node';
import { choiceOption, intOption, parseArgs, parseServer } from '../args.js';
import { type Command, CommandError, UsageError } from '../command.js';
import { resolveHost } from '../resolve-host.js';
import { withTimeout } from '../wait.js';

const USAGE = `Usage: rtcwire turn HOST:PORT|turn:…|turns:… --user U --pass P [--transport udp|tcp|tls] [--json]
                    [--timeout MS] [--insecure] [--ca FILE]

Allocate a relayed address on a TURN server (RFC 8656), prove it works by relaying a datagram to a
local UDP socket and receiving that socket's reply back through the relay, then deallocate.

The server is HOST:PORT or a TURN URI (RFC 7065): turn:HOST[:PORT][?transport=udp|tcp], turns:HOST[:PORT].

Options:
  --user U, --pass P   long-term credentials
  --transport T        udp (default), tcp, or tls (TURN over TLS, 'turns:')
  --json               print {"relayed":"IP:PORT","mapped":"IP:PORT","lifetimeS":N,"roundTripOk":true}
  --timeout MS         give up on each step after MS milliseconds (default 10000)
  --insecure           TLS: accept a certificate that does not verify (e.g. self-signed)
  --ca FILE            TLS: trust this PEM certificate authority
`;

const PROBE = new TextEncoder().encode('rtcwire turn probe');
const REPLY = new TextEncoder().encode('rtcwire turn reply');

export const turnCommand: Command = {
  name: 'turn',
  summary: 'allocate a TURN relay (udp/tcp/tls), prove it with a round trip, deallocate',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, {
      user: true,
      pass: true,
      transport: true,
      json: false,
      timeout: true,
      insecure: false,
      ca: true,
    });
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument '${parsed.positionals[1]}'`);
    const { host, port, transport: fromUri } = parseServer(parsed.positionals[0], 'turn');
    const username = parsed.values.get('user');
    const password = parsed.values.get('pass');
    if (username === undefined || password === undefined) throw new UsageError('--user and --pass are required');
    const transportKind = choiceOption<TurnTransport>(parsed, 'transport', ['udp', 'tcp', 'tls'], fromUri ?? 'udp');
    if (fromUri && parsed.values.has('transport') && fromUri !== transportKind) {
      throw new UsageError(`--transport ${transportKind} contradicts the URI (${fromUri})`);
    }
    const timeoutMs = intOption(parsed, 'timeout', 10_000);
    const caFile = parsed.values.get('ca');
    const ca = caFile === undefined ? undefined : readCa(caFile);
    const server = await resolveHost(host, port);
    const where = `${formatAddress(server)} (${transportKind})`;

    const transport = await openTransport(transportKind, server, host, timeoutMs, parsed.flags.has('insecure'), ca);
    let peer: UdpTransport | undefined;
    const client = new TurnClient({
      server,
      local: transport.local,
      transport: transportKind,
      username,
      password,
      random: secureRandom,
    });
    const driver = new Driver<TurnEvent>(client, [transport]);
    try {
      peer = await UdpTransport.bind({ family: server.family });
      // Over TCP/TLS the server may hang up; every step below fails at once when it does.
      const lost = new Promise<never>((_, reject) =>
        driver.onTransportClosed(() => reject(new CommandError(`${where}: the server closed the connection`))),
      );
      lost.catch(() => {});
      const first = driver.waitFor((e) => e.type === 'allocated' || e.type === 'failed');
      driver.act((_c, now) => client.allocate(now));
      const allocated = await withTimeout(
        Promise.race([first, lost]),
        timeoutMs,
        `no answer from ${where} within ${timeoutMs} ms — is a TURN server running there?`,
      );
      if (allocated.type === 'failed') throw describeFailure(allocated.error, where);
      await Promise.race([
        roundTrip(driver, client, peer, peerAddressFor(server, allocated.mapped, peer), timeoutMs),
        lost,
      ]);
      await Promise.race([deallocate(driver, client, timeoutMs), lost]);
      const summary = {
        relayed: formatAddress(allocated.relayed),
        mapped: allocated.mapped ? formatAddress(allocated.mapped) : null,
        lifetimeS: allocated.lifetimeS,
        roundTripOk: true,
      };
      if (parsed.flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        io.stdout.write(
          `relayed address ${summary.relayed} (mapped ${summary.mapped ?? 'unknown'}, lifetime ${summary.lifetimeS} s) via ${where}\n` +
            'relay round trip ok (peer got the probe, its reply came back through the relay); allocation released\n',
        );
      }
      return 0;
    } finally {
      await driver.close();
      await peer?.close();
    }
  },
};

async function openTransport(
  kind: TurnTransport,
  server: SocketAddress,
  host: string,
  timeoutMs: number,
  insecure: boolean,
  ca: string | undefined,
): Promise<Transport> {
  if (kind === 'udp') return UdpTransport.bind({ family: server.family });
  try {
    return await StreamTransport.connect({
      host: server.address,
      port: server.port,
      tls: kind === 'tls',
      timeoutMs,
      ...(kind === 'tls' && !isIpLiteral(host) ? { servername: host } : {}),
      ...(insecure ? { rejectUnauthorized: false } : {}),
      ...(ca ? { ca } : {}),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint = kind === 'tls' && /certificate|self.signed/i.test(e.message) ? ' — use --ca FILE or --insecure' : '';
    throw new CommandError(`cannot connect to ${formatAddress(server)} over ${kind} (${e.code ?? e.message})${hint}`);
  }
}

/**
 * Where the relay should send the probe: this host as the TURN server sees it. On loopback that is
 * the loopback address; otherwise the server-reflexive (mapped) address's IP.
 */
function peerAddressFor(server: SocketAddress, mapped: SocketAddress | undefined, peer: UdpTransport): SocketAddress {
  const loopback = server.family === 'IPv6' ? '::1' : '127.0.0.1';
  const isLoopback = server.address === '::1' || server.address.startsWith('127.');
  const ip = isLoopback ? loopback : (mapped?.address ?? loopback);
  return socketAddress(ip, peer.local.port);
}

/** Send a probe through the relay to our own UDP socket; it answers; the answer must come back relayed. */
async function roundTrip(
  driver: Driver<TurnEvent>,
  client: TurnClient,
  peer: UdpTransport,
  peerAddress: SocketAddress,
  timeoutMs: number,
): Promise<void> {
  let probeSeen = false;
  peer.attach({
    datagram: (d) => {
      if (!bytesEqual(d.data, PROBE)) return;
      probeSeen = true;
      peer.send(d.remote, REPLY);
    },
    error: () => {},
  });
  const back = driver.waitFor(
    (e) => e.type === 'failed' || (e.type === 'data' && e.peer.port === peerAddress.port && bytesEqual(e.data, REPLY)),
  );
  driver.act((_c, now) => client.send(now, peerAddress, PROBE));
  const e = await withTimeout(
    back,
    timeoutMs,
    probeSeen
      ? `relay round trip failed: the peer ${formatAddress(peerAddress)} got the probe but its reply never came back`
      : `relay round trip failed: the probe never reached ${formatAddress(peerAddress)} through the relay`,
  );
  if (e.type === 'failed') throw new CommandError(`relay round trip failed: ${e.error.message}`);
}

async function deallocate(driver: Driver<TurnEvent>, client: TurnClient, timeoutMs: number): Promise<void> {
  const done = driver.waitFor((e) => e.type === 'closed' || e.type === 'failed');
  driver.act((_c, now) => client.close(now));
  const e = await withTimeout(done, timeoutMs, `deallocation got no answer within ${timeoutMs} ms`);
  if (e.type === 'failed') throw new CommandError(`deallocation failed: ${e.error.message}`);
}

function describeFailure(error: TurnError, where: string): CommandError {
  if (error.code === 'unauthorized') {
    return new CommandError(`authentication failed (401 Unauthorized) — check --user/--pass`);
  }
  if (error.code === 'timeout') return new CommandError(`no answer from ${where} — is a TURN server running there?`);
  const stun = error.stunCode !== undefined ? ` (${error.stunCode}${error.reason ? ` ${error.reason}` : ''})` : '';
  return new CommandError(`allocation failed${stun}: ${error.message}`);
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --ca ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
