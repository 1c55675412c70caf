/**
 * A small, strict option parser shared by all commands: `--name value`, `--name=value`, boolean
 * `--flag`, and positionals. Unknown options and missing values raise `UsageError`.
 */
import { UsageError } from './command.js';

export interface OptionSpec {
  /** `true` for options taking a value (`--timeout 500`), `false` for flags (`--json`). */
  readonly [name: string]: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
}

export function parseArgs(args: readonly string[], spec: OptionSpec): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const takesValue = spec[name];
    if (takesValue === undefined) throw new UsageError(`unknown option --${name}`);
    if (!takesValue) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
    values.set(name, value);
  }
  return { positionals, values, flags };
}

/** A non-negative integer option, or `fallback` when absent. */
export function intOption(parsed: ParsedArgs, name: string, fallback: number, max = 2 ** 31): number {
  const text = parsed.values.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max)
    throw new UsageError(`--${name} must be an integer from 0 to ${max}, got '${text}'`);
  return n;
}

/** A value that must be one of `choices`. */
export function choiceOption<T extends string>(
  parsed: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = parsed.values.get(name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join('|')}, got '${text}'`);
  }
  return text as T;
}

/** Split `host:port` / `[v6]:port`; the host may be a name. */
export function parseHostPort(text: string | undefined, what = 'HOST:PORT'): { host: string; port: number } {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`expected ${what}, got '${text}'`);
  return { host: m[1] as string, port };
}

export type ServerTransport = 'udp' | 'tcp' | 'tls';

export interface ServerTarget {
  readonly host: string;
  readonly port: number;
  /** Set when a `turn:`/`turns:` URI says it; undefined for plain HOST:PORT. */
  readonly transport: ServerTransport | undefined;
}

/**
 * `HOST:PORT`, or a STUN/TURN URI: `stun:host[:port]` (RFC 7064 §3.1) or
 * `turn(s):host[:port][?transport=udp|tcp]` (RFC 7065 §3.1; default ports 3478, TLS 5349).
 */
export function parseServer(text: string | undefined, kind: 'stun' | 'turn'): ServerTarget {
  if (text === undefined) throw new UsageError('missing HOST:PORT');
  const uri = /^(stuns?|turns?):(\[[^\]]+\]|[^:[\]?]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/i.exec(text);
  if (!uri) {
    if (/^(stuns?|turns?):/i.test(text)) throw new UsageError(`malformed ${kind} URI '${text}'`);
    return { ...parseHostPort(text), transport: undefined };
  }
  const scheme = (uri[1] as string).toLowerCase();
  if (!scheme.startsWith(kind)) throw new UsageError(`'rtcwire ${kind}' needs a ${kind}: URI, got '${scheme}:'`);
  const secure = scheme.endsWith('s');
  const param = uri[4]?.toLowerCase();
  if (kind === 'stun' && (secure || param)) throw new UsageError(`only plain stun: URIs are supported, got '${text}'`);
  // RFC 7065 §3.1: turns: with transport=udp would be DTLS, which this client does not speak.
  if (secure && param === 'udp') throw new UsageError(`turns:…?transport=udp (TURN over DTLS) is not supported`);
  const port = uri[3] === undefined ? (secure ? 5349 : 3478) : Number(uri[3]);
  if (port < 1 || port > 65535) throw new UsageError(`bad port in '${text}'`);
  const host = (uri[2] as string).replace(/^\[|\]$/g, '');
  const transport: ServerTransport | undefined =
    kind === 'stun' ? undefined : secure ? 'tls' : ((param as ServerTransport | undefined) ?? 'udp');
  return { host, port, transport };
}
