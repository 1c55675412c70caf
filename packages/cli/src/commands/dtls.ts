/**
 * `rtcwire dtls connect|listen HOST:PORT`: a DTLS 1.2 handshake over UDP with our stack, printing
 * what was negotiated (suite, group, SRTP profile, EXTRACTOR-dtls_srtp keying material, peer
 * identity) — one JSON line with --json. A failed handshake exits 1 with one line naming the alert.
 */
import { formatAddress, type SocketAddress } from '@rtcwire/common';
import {
  type DtlsClientOptions,
  type DtlsConnectionInfo,
  DtlsError,
  type DtlsServerOptions,
  srtpKeyingMaterialLength,
  srtpProfileById,
} from '@rtcwire/dtls';
import { connectDtls, DtlsListener, type DtlsSession } from '@rtcwire/node';
import { intOption, type ParsedArgs, parseArgs, parseHostPort } from '../args.js';
import { type CliIo, type Command, CommandError, UsageError } from '../command.js';
import { resolveHost } from '../resolve-host.js';
import { type CommonDtlsSettings, commonSettings, DTLS_OPTION_SPEC } from './dtls-options.js';

const USAGE = `Usage: rtcwire dtls connect HOST:PORT [options]
       rtcwire dtls listen HOST:PORT [options] [--require-client-cert] [--once]

Run a DTLS 1.2 handshake over UDP and print what was negotiated.

Options:
  --cert FILE --key FILE     our certificate chain (PEM, leaf first) and private key
                             (default: a fresh self-signed ECDSA P-256 certificate)
  --ca FILE                  verify the peer's chain against these trusted roots (PKI)
  --fingerprint "sha-256 AB:CD:…"  accept only a peer certificate with this fingerprint (WebRTC);
                             several may be given, separated by commas
  --psk-identity ID --psk HEX  use the pre-shared key suites
  --srtp P1,P2               offer/accept DTLS-SRTP profiles, e.g. SRTP_AES128_CM_SHA1_80,SRTP_AEAD_AES_128_GCM
  --cipher S1,S2             cipher suites in preference order (IANA names, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
  --mtu N                    largest datagram to send (default 1200)
  --json                     print one JSON line
  connect only:
  --timeout MS               give up when not connected after MS milliseconds (default 10000)
  listen only:
  --require-client-cert      ask for a client certificate and refuse clients without one
  --once                     exit after the first handshake (success or failure)

Without --ca or --fingerprint the peer's certificate is not verified (a warning goes to stderr);
its fingerprint is printed so that it can be checked. On listen, --ca or --fingerprint makes the
server request a client certificate and verify it when one is sent; --require-client-cert also
refuses clients that send none.
`;

export interface DtlsResult {
  readonly version: 'DTLS 1.2';
  readonly role: 'client' | 'server';
  readonly remote: string;
  readonly cipherSuite: string;
  readonly group: string | null;
  readonly srtpProfile: string | null;
  readonly keyingMaterial: string | null;
  readonly peerFingerprint: string | null;
  readonly peerSubject: string | null;
  readonly pskIdentity: string | null;
}

function describe(session: DtlsSession, info: DtlsConnectionInfo, remote: SocketAddress): DtlsResult {
  const profile = info.srtpProfile ? srtpProfileById(info.srtpProfile.id) : undefined;
  const keying = profile
    ? Buffer.from(session.exportKeyingMaterial('EXTRACTOR-dtls_srtp', srtpKeyingMaterialLength(profile)))
        .toString('hex')
        .toUpperCase()
    : null;
  return {
    version: 'DTLS 1.2',
    role: info.role,
    remote: formatAddress(remote),
    cipherSuite: info.cipherSuite,
    group: info.group ?? null,
    srtpProfile: info.srtpProfile?.name ?? null,
    keyingMaterial: keying,
    peerFingerprint: info.peerFingerprint ?? null,
    peerSubject: info.peerSubject ?? null,
    pskIdentity: info.pskIdentity ? new TextDecoder().decode(info.pskIdentity) : null,
  };
}

function print(io: CliIo, result: DtlsResult, json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const lines = [
    `${result.role === 'client' ? 'connected to' : 'accepted'} ${result.remote}: ${result.version} ${result.cipherSuite}${result.group ? ` (${result.group})` : ''}`,
    `srtp profile:    ${result.srtpProfile ?? 'none'}`,
  ];
  if (result.keyingMaterial) lines.push(`keying material: ${result.keyingMaterial}`);
  if (result.peerFingerprint) lines.push(`peer:            ${result.peerSubject ?? '?'} ${result.peerFingerprint}`);
  if (result.pskIdentity) lines.push(`psk identity:    ${result.pskIdentity}`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** `handshake failed: bad_certificate (…)`: the alert (or error code) and the reason. */
export function failureLine(err: unknown): string {
  if (err instanceof DtlsError) return `handshake failed: ${err.alertName ?? err.code} (${err.message})`;
  return `handshake failed: ${err instanceof Error ? err.message : String(err)}`;
}

function warnUnverified(io: CliIo, settings: CommonDtlsSettings): void {
  if (settings.unverified && !settings.psk) {
    io.stderr.write('warning: the peer certificate is not verified (use --ca or --fingerprint)\n');
  }
}

async function connect(parsed: ParsedArgs, io: CliIo): Promise<number> {
  if (parsed.flags.has('require-client-cert') || parsed.flags.has('once')) {
    throw new UsageError('--require-client-cert and --once are for listen');
  }
  if (parsed.values.has('timeout') && intOption(parsed, 'timeout', 0) === 0)
    throw new UsageError('--timeout must be positive');
  const { host, port } = parseHostPort(parsed.positionals[1]);
  const remote = await resolveHost(host, port);
  const psk = parsed.values.has('psk');
  const settings = await commonSettings(parsed, 'serverAuth', !psk);
  warnUnverified(io, settings);
  const options: DtlsClientOptions = {
    ...(settings.credential ? { credential: settings.credential } : {}),
    ...(settings.verifier ? { verifyPeer: settings.verifier } : {}),
    ...(settings.psk ? { psk: settings.psk } : {}),
    ...(settings.srtpProfiles ? { srtpProfiles: settings.srtpProfiles } : {}),
    ...(settings.mtu ? { mtu: settings.mtu } : {}),
    ...(settings.cipherSuites ? { cipherSuites: settings.cipherSuites } : {}),
  };
  let session: DtlsSession;
  try {
    session = await connectDtls({ remote, dtls: options, handshakeTimeoutMs: intOption(parsed, 'timeout', 10_000) });
  } catch (err) {
    throw new CommandError(failureLine(err));
  }
  print(io, describe(session, session.info as DtlsConnectionInfo, remote), parsed.flags.has('json'));
  await session.close();
  return 0;
}

async function listen(parsed: ParsedArgs, io: CliIo): Promise<number> {
  if (parsed.values.has('timeout')) throw new UsageError('--timeout is for connect');
  const { host, port } = parseHostPort(parsed.positionals[1]);
  const local = await resolveHost(host, port);
  const settings = await commonSettings(parsed, 'clientAuth', true);
  const requireCert = parsed.flags.has('require-client-cert');
  const verifying = !settings.unverified;
  const options: DtlsServerOptions = {
    ...(settings.credential ? { credential: settings.credential } : {}),
    ...(settings.verifier ? { verifyPeer: settings.verifier } : {}),
    clientAuth: requireCert ? 'require' : verifying ? 'request' : 'none',
    ...(settings.psk ? { pskLookup: pskLookupFor(settings.psk) } : {}),
    ...(settings.srtpProfiles ? { srtpProfiles: settings.srtpProfiles } : {}),
    ...(settings.mtu ? { mtu: settings.mtu } : {}),
    ...(settings.cipherSuites ? { cipherSuites: settings.cipherSuites } : {}),
  };
  if (requireCert) warnUnverified(io, settings);
  const listener = await DtlsListener.listen({ local: { address: local.address, port: local.port }, dtls: options });
  io.stderr.write(`listening on ${formatAddress(listener.local)}\n`);
  const json = parsed.flags.has('json');
  return new Promise<number>((resolve) => {
    const finish = (code: number) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void listener.close().then(() => resolve(code));
    };
    const onSignal = () => finish(0);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    listener.onConnected((session) => {
      print(io, describe(session, session.info as DtlsConnectionInfo, session.remote), json);
      if (parsed.flags.has('once')) {
        void session.close().then(() => finish(0));
      }
    });
    listener.onFailure((session, error) => {
      io.stderr.write(`rtcwire dtls: ${formatAddress(session.remote)}: ${failureLine(error)}\n`);
      if (parsed.flags.has('once')) finish(1);
    });
  });
}

function pskLookupFor(psk: NonNullable<CommonDtlsSettings['psk']>): NonNullable<DtlsServerOptions['pskLookup']> {
  return (identity) => (Buffer.compare(Buffer.from(identity), Buffer.from(psk.identity)) === 0 ? psk.key : undefined);
}

export const dtlsCommand: Command = {
  name: 'dtls',
  summary: 'DTLS 1.2 handshake over UDP (connect or listen), printing suite, SRTP profile and keying material',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, DTLS_OPTION_SPEC);
    const verb = parsed.positionals[0];
    if (parsed.positionals.length > 2) throw new UsageError(`unexpected argument '${parsed.positionals[2]}'`);
    if (verb === 'connect') return connect(parsed, io);
    if (verb === 'listen') return listen(parsed, io);
    throw new UsageError(verb === undefined ? 'missing connect|listen' : `unknown verb '${verb}' (connect|listen)`);
  },
};
