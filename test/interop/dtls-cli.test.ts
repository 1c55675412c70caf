/**
 * The `rtcwire dtls` command as a real process (the built CLI under `npm test`, else tsx from sources)
 * against OpenSSL and against itself: the JSON line, exit codes and the one-line failure cause.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type IssuedPem, OpensslPki } from '@rtcwire/interop-openssl';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliSpawnArgs } from './harness/cli.js';
import { type OpensslProcess, startOpensslClient, startOpensslServer } from './harness/openssl.js';
import { freePort } from './harness/ports.js';

interface CliRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<number | null>;
  waitForStderr(re: RegExp): Promise<void>;
}

const started: CliRun[] = [];
const opensslProcesses: OpensslProcess[] = [];

function rtcwire(args: string[]): CliRun {
  const cli = cliSpawnArgs(args);
  const child = spawn(cli.command, cli.argv, { cwd: cli.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run: CliRun = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStderr: (re) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (re.test(err)) {
            waiters.delete(check);
            resolve();
          }
        };
        void exited.then(() => {
          if (!re.test(err)) reject(new Error(`rtcwire exited without ${re}: ${err}`));
        });
        waiters.add(check);
        check();
      }),
  };
  started.push(run);
  return run;
}

let certs: OpensslPki;
let serverSelf: IssuedPem;
let rootCa: IssuedPem;
let inter: IssuedPem;
let serverLeaf: IssuedPem;
let clientLeaf: IssuedPem;
let strangerLeaf: IssuedPem;

beforeAll(() => {
  certs = new OpensslPki('ec');
  serverSelf = certs.selfSigned('cli-server', { ca: false });
  rootCa = certs.selfSigned('CLI Root', { ca: true });
  inter = certs.intermediate('CLI Intermediate', rootCa);
  serverLeaf = certs.leaf('cli-server.test', inter);
  clientLeaf = certs.leaf('cli-client.test', inter);
  strangerLeaf = certs.selfSigned('stranger', { ca: false });
});
afterAll(() => certs.dispose());
afterEach(async () => {
  for (const r of started.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  for (const p of opensslProcesses.splice(0)) await p.stop();
});

async function opensslFingerprint(certPath: string): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('openssl', ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256']).toString();
  return `sha-256 ${out.trim().split('=')[1]}`;
}

// Each CLI process starts tsx from sources (seconds on a loaded machine): generous per-test limits.
describe('rtcwire dtls (CLI process)', { timeout: 120_000 }, () => {
  it('connect → openssl s_server: one JSON line whose keying material matches OpenSSL', async () => {
    const server = await startOpensslServer({
      cert: serverSelf.certPath,
      key: serverSelf.keyPath,
      srtpProfiles: ['SRTP_AEAD_AES_128_GCM'],
      keyingMaterialLength: 56,
    });
    opensslProcesses.push(server);
    const fingerprint = await opensslFingerprint(serverSelf.certPath);
    const run = rtcwire([
      'dtls',
      'connect',
      `127.0.0.1:${server.port}`,
      '--fingerprint',
      fingerprint,
      '--srtp',
      'SRTP_AEAD_AES_128_GCM,SRTP_AES128_CM_SHA1_80',
      '--json',
    ]);
    expect(await run.exited).toBe(0);
    const lines = run.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string);
    await server.waitFor(/Keying material: [0-9A-F]+/);
    expect(result).toMatchObject({
      version: 'DTLS 1.2',
      cipherSuite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      group: 'x25519',
      srtpProfile: 'SRTP_AEAD_AES_128_GCM',
      keyingMaterial: server.result().keyingMaterial,
      peerFingerprint: fingerprint,
      peerSubject: 'CN=cli-server',
    });
    expect(result.keyingMaterial).toHaveLength(56 * 2);
  });

  it('connect with a wrong --fingerprint exits 1 naming bad_certificate', async () => {
    const server = await startOpensslServer({ cert: serverSelf.certPath, key: serverSelf.keyPath });
    opensslProcesses.push(server);
    const wrong = `sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}`;
    const run = rtcwire(['dtls', 'connect', `127.0.0.1:${server.port}`, '--fingerprint', wrong]);
    expect(await run.exited).toBe(1);
    expect(run.stdout()).toBe('');
    expect(run.stderr().trim()).toMatch(
      /^rtcwire dtls: handshake failed: bad_certificate \(.*fingerprint mismatch.*\)$/,
    );
    await server.waitFor(/SSL3 alert read:fatal:bad certificate/);
  });

  it('openssl s_client → listen --once --json', async () => {
    const port = await freePort();
    const run = rtcwire([
      'dtls',
      'listen',
      `127.0.0.1:${port}`,
      '--cert',
      serverSelf.certPath,
      '--key',
      serverSelf.keyPath,
      '--srtp',
      'SRTP_AES128_CM_SHA1_80',
      '--once',
      '--json',
    ]);
    await run.waitForStderr(/listening on/);
    const client = startOpensslClient(port, {
      srtpProfiles: ['SRTP_AES128_CM_SHA1_32', 'SRTP_AES128_CM_SHA1_80'],
      keyingMaterialLength: 60,
    });
    opensslProcesses.push(client);
    expect(await run.exited).toBe(0);
    await client.waitFor(/Keying material: [0-9A-F]+/);
    const result = JSON.parse(run.stdout().trim());
    expect(result.srtpProfile).toBe('SRTP_AES128_CM_SHA1_80');
    expect(result.keyingMaterial).toBe(client.result().keyingMaterial);
    expect(result.role).toBe('server');
  });

  it('CLI ↔ CLI with a CA chain and --require-client-cert; an untrusted client is refused on both sides', async () => {
    const port = await freePort();
    const chainFile = `${certs.dir}/server-chain.pem`;
    const clientChain = `${certs.dir}/client-chain.pem`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(chainFile, serverLeaf.cert + inter.cert);
    writeFileSync(clientChain, clientLeaf.cert + inter.cert);
    const listen = [
      'dtls',
      'listen',
      `127.0.0.1:${port}`,
      '--cert',
      chainFile,
      '--key',
      serverLeaf.keyPath,
      '--ca',
      rootCa.certPath,
      '--require-client-cert',
      '--once',
      '--json',
    ];

    const good = rtcwire(listen);
    await good.waitForStderr(/listening on/);
    const client = rtcwire([
      'dtls',
      'connect',
      `127.0.0.1:${port}`,
      '--cert',
      clientChain,
      '--key',
      clientLeaf.keyPath,
      '--ca',
      rootCa.certPath,
      '--json',
    ]);
    expect(await client.exited).toBe(0);
    expect(await good.exited).toBe(0);
    expect(JSON.parse(client.stdout()).peerSubject).toBe('CN=cli-server.test');
    expect(JSON.parse(good.stdout()).peerSubject).toBe('CN=cli-client.test');

    const strict = rtcwire(listen);
    await strict.waitForStderr(/listening on/);
    const stranger = rtcwire([
      'dtls',
      'connect',
      `127.0.0.1:${port}`,
      '--cert',
      strangerLeaf.certPath,
      '--key',
      strangerLeaf.keyPath,
      '--ca',
      rootCa.certPath,
    ]);
    expect(await stranger.exited).toBe(1);
    expect(await strict.exited).toBe(1);
    expect(stranger.stderr()).toMatch(/handshake failed: unknown_ca/);
    expect(strict.stderr()).toMatch(/handshake failed: unknown_ca .*self-signed/);
  });

  it('connect --psk-identity --psk --cipher → openssl s_server -psk -nocert', async () => {
    const server = await startOpensslServer({
      noCert: true,
      psk: { identity: 'cli-device', keyHex: '0102030405060708090a0b0c0d0e0f10' },
      cipher: 'PSK-AES128-CCM8',
      keyingMaterialLength: 60,
    });
    opensslProcesses.push(server);
    const run = rtcwire([
      'dtls',
      'connect',
      `127.0.0.1:${server.port}`,
      '--psk-identity',
      'cli-device',
      '--psk',
      '0102030405060708090a0b0c0d0e0f10',
      '--cipher',
      'TLS_PSK_WITH_AES_128_CCM_8',
      '--json',
    ]);
    expect(await run.exited).toBe(0);
    const result = JSON.parse(run.stdout().trim());
    expect(result).toMatchObject({
      cipherSuite: 'TLS_PSK_WITH_AES_128_CCM_8',
      group: null,
      pskIdentity: 'cli-device',
      peerFingerprint: null,
    });
    await server.waitFor(/CIPHER is PSK-AES128-CCM8/);
    expect(run.stderr()).not.toMatch(/warning/);
  });

  it('usage errors exit 2', async () => {
    const run = rtcwire(['dtls', 'connect', '127.0.0.1:1', '--psk', 'abc']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/--psk and --psk-identity go together|even number/);
  });
});
