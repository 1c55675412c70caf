import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './ports.js';

/**
 * Runs OpenSSL 3 `s_server` / `s_client` in DTLS 1.2 mode (PEERS.md) and parses what they print.
 * Gotchas handled here: both tools quit when their stdin reaches EOF, so we hold a pipe open;
 * `s_server` prints `ACCEPT` when it listens; keying material and the SRTP profile are printed
 * after the handshake. Processes are stopped by the pid we started.
 */

export interface OpensslDtlsOptions {
  /** PEM files (paths). */
  readonly cert?: string;
  readonly key?: string;
  /** Extra chain certificates to send (`-cert_chain`). */
  readonly certChain?: string;
  /** Trusted roots for verifying the peer (`-CAfile`). */
  readonly caFile?: string;
  /**
   * Peer verification: server — 'request' (`-verify 3`) or 'require' (`-Verify 3`);
   * client — 'require' makes s_client fail on a bad server chain. Both add `-verify_return_error`.
   */
  readonly verify?: 'request' | 'require';
  /** `-use_srtp` profiles in preference order. */
  readonly srtpProfiles?: readonly string[];
  /** Export this many bytes with the EXTRACTOR-dtls_srtp label (`-keymatexport`). */
  readonly keyingMaterialLength?: number;
  /** `-psk HEX -psk_identity ID` (server: `-psk_identity` is not needed). */
  readonly psk?: { readonly identity: string; readonly keyHex: string };
  /** `-cipher` list (TLS 1.2 names), e.g. `PSK-AES128-GCM-SHA256`. */
  readonly cipher?: string;
  /** Server without a certificate (PSK only). */
  readonly noCert?: boolean;
  /** `-mtu` (link MTU; OpenSSL then stops querying the socket for it). */
  readonly mtu?: number;
  /** Print handshake states and alerts (`-state`); on by default. */
  readonly state?: boolean;
}

export interface OpensslResult {
  /** OpenSSL cipher name, e.g. `ECDHE-ECDSA-AES128-GCM-SHA256`. */
  readonly cipher: string | undefined;
  readonly srtpProfile: string | undefined;
  /** Uppercase hex as printed. */
  readonly keyingMaterial: string | undefined;
  /** Alerts from `-state` lines ("SSL3 alert write:fatal:unknown CA") and error lines ("SSL alert number 48"). */
  readonly alertsSent: readonly string[];
  readonly alertsReceived: readonly string[];
  readonly alertNumbers: readonly number[];
}

export interface OpensslProcess {
  readonly port: number;
  readonly pid: number | undefined;
  output(): string;
  /** Resolves with the output once `pattern` appears; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Write a line to the tool's stdin (it sends it as application data). */
  writeLine(text: string): void;
  result(): OpensslResult;
  stop(): Promise<void>;
}

function assertInstalled(): void {
  if (!existsSync('/usr/bin/openssl')) {
    throw new Error('openssl is not installed: run `npm test` (it runs scripts/install-system-deps.sh)');
  }
}

function commonArgs(o: OpensslDtlsOptions): string[] {
  const args = ['-dtls1_2'];
  if (o.state ?? true) args.push('-state');
  if (o.cert) args.push('-cert', o.cert);
  if (o.key) args.push('-key', o.key);
  if (o.certChain) args.push('-cert_chain', o.certChain);
  if (o.caFile) args.push('-CAfile', o.caFile);
  if (o.srtpProfiles && o.srtpProfiles.length > 0) args.push('-use_srtp', o.srtpProfiles.join(':'));
  if (o.keyingMaterialLength)
    args.push('-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', String(o.keyingMaterialLength));
  if (o.cipher) args.push('-cipher', o.cipher);
  if (o.mtu) args.push('-mtu', String(o.mtu));
  return args;
}

/** Parses the interesting lines of s_server / s_client output. */
export function parseOpensslOutput(text: string): OpensslResult {
  const cipher = /Cipher is (\S+)/.exec(text)?.[1] ?? /CIPHER is (\S+)/.exec(text)?.[1];
  const srtpProfile = /SRTP Extension negotiated, profile=(\S+)/.exec(text)?.[1];
  const keyingMaterial = /Keying material: ([0-9A-F]+)/.exec(text)?.[1];
  const alertsSent = [...text.matchAll(/SSL3 alert write:fatal:(.+)/g)].map((m) => (m[1] as string).trim());
  const alertsReceived = [...text.matchAll(/SSL3 alert read:fatal:(.+)/g)].map((m) => (m[1] as string).trim());
  const alertNumbers = [...text.matchAll(/SSL alert number (\d+)/g)].map((m) => Number(m[1]));
  return {
    cipher: cipher === '(NONE)' ? undefined : cipher,
    srtpProfile,
    keyingMaterial,
    alertsSent,
    alertsReceived,
    alertNumbers,
  };
}

function wrap(child: ChildProcess, port: number): OpensslProcess {
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.stdin?.on('error', () => {}); // EPIPE after exit is expected
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const l of listeners) l();
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return {
    port,
    pid: child.pid,
    output: () => out,
    exited,
    writeLine(text) {
      child.stdin?.write(`${text}\n`);
    },
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            cleanup();
            resolve(out);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`openssl exited before ${pattern}:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timeout waiting for ${pattern}:\n${out}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    result: () => parseOpensslOutput(out),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** `openssl s_server -dtls1_2 -naccept 1` on 127.0.0.1 at a free port; resolves once it listens. */
export async function startOpensslServer(options: OpensslDtlsOptions = {}): Promise<OpensslProcess> {
  assertInstalled();
  const port = await freePort();
  const args = ['s_server', ...commonArgs(options), '-naccept', '1', '-accept', `127.0.0.1:${port}`];
  if (options.noCert) args.push('-nocert');
  if (options.psk) args.push('-psk', options.psk.keyHex, '-psk_identity', options.psk.identity);
  if (options.verify === 'request') args.push('-verify', '3', '-verify_return_error');
  if (options.verify === 'require') args.push('-Verify', '3', '-verify_return_error');
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const proc = wrap(child, port);
  await proc.waitFor(/^ACCEPT$/m, 10_000);
  return proc;
}

/** `openssl s_client -dtls1_2 -connect 127.0.0.1:PORT`, stdin held open until `stop()`. */
export function startOpensslClient(port: number, options: OpensslDtlsOptions = {}): OpensslProcess {
  assertInstalled();
  const args = ['s_client', ...commonArgs(options), '-connect', `127.0.0.1:${port}`];
  if (options.psk) args.push('-psk', options.psk.keyHex, '-psk_identity', options.psk.identity);
  if (options.verify === 'require') args.push('-verify_return_error', '-verify', '3');
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  return wrap(child, port);
}

/** Length of EXTRACTOR-dtls_srtp output for a profile: 2 × (key + salt) (RFC 5764 §4.2). */
export const SRTP_KEYING_LENGTH: Readonly<Record<string, number>> = {
  SRTP_AES128_CM_SHA1_80: 60,
  SRTP_AES128_CM_SHA1_32: 60,
  SRTP_AEAD_AES_128_GCM: 56,
  SRTP_AEAD_AES_256_GCM: 88,
};

/** OpenSSL's names for the suites rtcwire implements. */
export const OPENSSL_CIPHER_NAMES: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_PSK_WITH_AES_128_GCM_SHA256: 'PSK-AES128-GCM-SHA256',
  TLS_PSK_WITH_AES_256_GCM_SHA384: 'PSK-AES256-GCM-SHA384',
  TLS_PSK_WITH_AES_128_CCM: 'PSK-AES128-CCM',
  TLS_PSK_WITH_AES_128_CCM_8: 'PSK-AES128-CCM8',
};
